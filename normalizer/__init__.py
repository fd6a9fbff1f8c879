"""Pure, table-driven normalization: printed text -> numbers, codes, ranks, meanings."""
