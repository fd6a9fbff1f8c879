"""Vietnamese text primitives, a leaf both extractors and the normalizer import: folding
(accents, case, spaces), printed numbers with decimal commas, criterion codes, ranks, and
the vocabulary of report headers and row labels. Pure functions and tables; nothing here
imports another parindex package."""
