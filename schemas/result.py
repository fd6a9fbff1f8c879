"""One document's way through the stages: its source, its status and error, and what each
stage made of it (the extracted document, then the normalized one, then its observations)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from parindex.schemas.intermediate import ExtractedDocument
from parindex.schemas.source import SourceFile


@dataclass
class DocumentResult:
    source: SourceFile
    status: str = "ok"  # ok | partial | failed | duplicate
    error: str | None = None
    pages: int | None = None
    tables: int | None = None
    extracted: ExtractedDocument | None = None
    normalized: Any = None  # normalizer.normalize.NormalizedDocument: observations and context
    observations: list[dict] = field(default_factory=list)
    observation_count: int | None = None  # kept when the observations have been staged
    # a failure that may not recur (the file changed while it was read, or could not be
    # opened): recorded, never cached, tried again next run
    retry_next_run: bool = False

    def count(self) -> int:
        return len(self.observations) if self.observation_count is None else self.observation_count

    def document_row(self) -> dict:
        ctx = self.normalized.context if self.normalized else None
        years = sorted({o["year"] for o in self.observations if o.get("year")})
        return {
            "document_id": self.source.document_id,
            "source": self.source.path,
            "sha256": self.source.sha256,
            "format": self.source.format,
            "status": self.status,
            "error": self.error,
            "pages": self.pages,
            "tables": self.tables,
            "observations": len(self.observations),
            "unit": ctx.unit if ctx else None,
            "unit_level": ctx.unit_level if ctx else None,
            "province": ctx.province if ctx else None,
            "unit_code": ctx.unit_code if ctx else None,
            "province_code": ctx.province_code if ctx else None,
            **{
                k: getattr(ctx, k) if ctx else None
                for k in ("province_2025", "province_code_2025", "unit_2025", "unit_code_2025")
            },
            "years": ",".join(str(y) for y in years) or None,
        }

    def fail(self, stage: str, exc: BaseException, message: str | None = None) -> "DocumentResult":
        """This document failed at `stage` with `exc`: recorded with `message` (which
        names the file), or the exception named with the file and the stage."""
        self.status = "failed"
        self.error = message or f"{self.source.path}: {stage} failed: {type(exc).__name__}: {exc}"
        self.extracted = None
        return self

    def duplicate(self, first: str) -> "DocumentResult":
        """The same bytes as the earlier file `first`: read once, under that name."""
        self.status = "duplicate"
        self.error = f"{self.source.path}: same content as {first}; read once, under that name"
        self.observations = []
        return self
