"""
What an import did, per kind of object, and what needs a person's attention.

Counts per kind: ``imported`` (new here), ``updated`` (changed in the file
since the last import), ``kept`` (edited here since the last import, left as
edited), ``skipped`` (unchanged since the last import, reused as already
here, or not imported by design: revisions, auto-drafts, other post types),
``failed`` (could not be imported: a missing media file, a broken image...).
Warnings are ``(kind, item, message)`` triples naming the item.
"""

from dataclasses import dataclass, field

KINDS = (
    "authors",
    "categories",
    "tags",
    "posts",
    "pages",
    "attachments",
    "comments",
    "menus",
    "menu items",
    "other taxonomies",
    "skipped types",
)
COLUMNS = ("imported", "updated", "kept", "skipped", "failed")


@dataclass
class Report:
    counts: dict = field(
        default_factory=lambda: {kind: dict.fromkeys(COLUMNS, 0) for kind in KINDS}
    )
    warnings: list = field(default_factory=list)
    dry_run: bool = False
    site: str = ""

    # Of the skipped, how many were already here unchanged since the last import.
    unchanged: int = 0

    def add(self, kind, column, n=1, *, unchanged=False):
        self.counts.setdefault(kind, dict.fromkeys(COLUMNS, 0))[column] += n
        if unchanged:
            self.unchanged += n

    def count(self, kind, column):
        return self.counts.get(kind, {}).get(column, 0)

    def warn(self, kind, item, message):
        self.warnings.append((kind, str(item), message))

    def total(self, column):
        return sum(row[column] for row in self.counts.values())

    def as_table(self):
        """The report as text: the counts table, then each warning on a line."""
        header = ("", *COLUMNS)
        rows = [
            (kind, *(str(self.counts[kind][c]) for c in COLUMNS))
            for kind in self.counts
            if any(self.counts[kind].values())
        ]
        rows.append(("total", *(str(self.total(c)) for c in COLUMNS)))
        widths = [max(len(row[i]) for row in (header, *rows)) for i in range(len(header))]

        def line(row):
            first = row[0].ljust(widths[0])
            rest = "  ".join(cell.rjust(widths[i + 1]) for i, cell in enumerate(row[1:]))
            return f"{first}  {rest}".rstrip()

        lines = []
        if self.dry_run:
            lines.append("Dry run: nothing was written.")
        if self.site:
            lines.append(f"Site: {self.site}")
        lines += [line(header), line(["-" * w for w in widths])]
        lines += [line(row) for row in rows]
        lines.append(
            "kept = edited here since the last import, left as edited; "
            "skipped = unchanged since the last import, already here, or not importable."
        )
        if self.unchanged:
            lines.append(f"Unchanged since the last import (among the skipped): {self.unchanged}.")
        if self.warnings:
            lines.append("")
            lines.append(f"Warnings ({len(self.warnings)}):")
            lines += [f"- {kind}: {item}: {message}" for kind, item, message in self.warnings]
        return "\n".join(lines) + "\n"

    def to_dict(self):
        return {
            "counts": {kind: dict(row) for kind, row in self.counts.items()},
            "warnings": [list(w) for w in self.warnings],
            "dry_run": self.dry_run,
            "site": self.site,
            "unchanged": self.unchanged,
        }

    @classmethod
    def from_dict(cls, data):
        report = cls(
            dry_run=bool(data.get("dry_run")),
            site=data.get("site", ""),
            unchanged=int(data.get("unchanged", 0)),
        )
        for kind, row in data.get("counts", {}).items():
            report.counts[kind] = {c: int(row.get(c, 0)) for c in COLUMNS}
        report.warnings = [tuple(w) for w in data.get("warnings", [])]
        return report
