"""Search over every provision of every version, one result per clause lineage.

A hit is a provision whose text matches; hits of one lineage (the same clause across a
document's versions) are one result: the best matching wording (highlighted), when the
searched words first and last appeared in that clause, and whether the document's
latest version still says them.

How a query matches, by database and query:

- PostgreSQL, no CJK character in the query: full-text search, ``websearch_to_tsquery``
  with the English configuration (stemmed words, ``"quoted phrases"`` as adjacent
  words, ``OR``, ``-exclusion``), over the stored vectors and GIN index of migration 0007; ranked by
  ``ts_rank_cd`` (normalised by the clause's length), highlighted by ``ts_headline``.
- PostgreSQL with CJK in the query (Chinese documents have no word breaks the English
  parser knows), and SQLite always: substring search, case-insensitive (on SQLite for
  ASCII letters only), each word or quoted phrase one substring, with the same ``OR``
  and ``-`` syntax; on PostgreSQL over the trigram index. Ranked by how often the
  searched substrings occur in the wording.

Reading the query itself (words, phrases, OR, exclusions) is ``governance.search_query``.
Two queries whatever the page size: the page of lineages with their aggregates, then
the highlighted wordings of that page (plus one to check the query on PostgreSQL).
"""

from dataclasses import dataclass, field
from datetime import UTC, datetime

from django.db import connections, router
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from governance.models import Document, Platform, Provision, Version
from governance.search_query import (  # noqa: F401 - the API imports them from here
    CJK_CLASS,
    FULLTEXT,
    MAX_QUERY_LENGTH,
    MIN_QUERY_LENGTH,
    SUBSTRING,
    ParsedQuery,
    SearchQueryError,
    Term,
    has_cjk,
    search_query_parse,
)
from governance.text.highlight import (
    EXCERPT_DELIMITER,
    MARK_START,
    MARK_STOP,
    SHOWN_WHOLE,
    Fragment,
    marked_fragments,
    substring_highlight,
)

# The stored to_tsvector(CONFIG, text) column of migration 0007 (PostgreSQL only).
CONFIG = "english"
VECTOR_COLUMN = "search_vector"

# ts_headline marks matches with the highlighter's markers (removed from the text
# beforehand), so that the highlight is cut into fragments without any HTML.
_HEADLINE_OPTIONS = (
    f"StartSel={MARK_START}, StopSel={MARK_STOP}, MaxWords=40, MinWords=20, ShortWord=2, "
    f'MaxFragments=2, FragmentDelimiter="{EXCERPT_DELIMITER}"'
)
_HEADLINE_WHOLE = f"StartSel={MARK_START}, StopSel={MARK_STOP}, HighlightAll=true"


@dataclass
class SearchResult:
    platform_slug: str
    platform_name: str
    document_kind: str
    document_title: str
    lineage_id: str
    rank: float
    first_seen: datetime
    first_seen_version_id: int
    last_seen: datetime
    last_seen_version_id: int
    in_force: bool
    matching_versions: int
    wording_provision_id: int
    wording_version_id: int | None = None
    heading_path: list[str] = field(default_factory=list)
    highlight: list[Fragment] = field(default_factory=list)


@dataclass
class SearchPage:
    query: ParsedQuery
    total: int
    results: list[SearchResult]

    @property
    def method(self) -> str:
        if self.query.mode == FULLTEXT:
            return (
                f"PostgreSQL full-text search (websearch_to_tsquery, '{CONFIG}' stemming) "
                "over every provision of every version; ranked by ts_rank_cd."
            )
        return (
            "Case-insensitive substring search over every provision of every version; "
            "ranked by how often the searched text occurs in the wording."
        )


def provision_search(
    *,
    query: str,
    platform: str | None = None,
    kind: str | None = None,
    in_force: bool | None = None,
    first_seen_after: datetime | None = None,
    first_seen_before: datetime | None = None,
    limit: int = 50,
    offset: int = 0,
) -> SearchPage:
    """One page of lineages matching ``query``, best first (rank, then first seen).

    Raises SearchQueryError for a query that cannot be searched (too short or long,
    control characters, nothing but stop words, operators or exclusions).
    """
    using = router.db_for_read(Provision)
    connection = connections[using]
    parsed = search_query_parse(query=query, vendor=connection.vendor)
    if parsed.mode == FULLTEXT:
        _fulltext_check(connection, parsed)
    sql, params = _page_sql(connection, parsed, platform=platform, kind=kind,
                            in_force=in_force, after=first_seen_after,
                            before=first_seen_before, limit=limit, offset=offset)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        columns = [c[0] for c in cursor.description]
        rows = [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
    results = [_result(row) for row in rows]
    total = rows[0]["total"] if rows else 0
    if not rows and offset:
        total = _total(connection, parsed, platform, kind, in_force,
                       first_seen_after, first_seen_before)
    _attach_wordings(using, parsed, results)
    return SearchPage(parsed, total, results)


def _fulltext_check(connection, parsed: ParsedQuery) -> None:
    """Refuse what the index cannot answer: stop words only, or only exclusions."""
    with connection.cursor() as cursor:
        cursor.execute(
            # A constant, no input: the query is a parameter.
            f"SELECT numnode(q), querytree(q) FROM websearch_to_tsquery('{CONFIG}', %s) q",  # noqa: S608
            [parsed.raw],
        )
        nodes, tree = cursor.fetchone()
    if not nodes:
        raise SearchQueryError(
            "has only words too common to be indexed (such as 'the', 'and', 'of'); "
            "add a more specific word."
        )
    if tree == "T":
        raise SearchQueryError(
            "needs a word to find in every alternative: an exclusion (-word) alone would "
            "match nearly every provision."
        )


def _match_sql(connection, parsed: ParsedQuery) -> tuple[str, list, str, list]:
    """(WHERE condition on provision ``p``, its params, rank of ``p``, its params)."""
    if parsed.mode == FULLTEXT:
        vector = f"p.{VECTOR_COLUMN}"
        tsquery = f"websearch_to_tsquery('{CONFIG}'::regconfig, %s)"
        return (f"{vector} @@ {tsquery}", [parsed.raw],
                f"ts_rank_cd({vector}, {tsquery}, 1)", [parsed.raw])
    alternatives, params = [], []
    for group in parsed.groups:
        conditions = []
        if connection.vendor == "postgresql" and any(
            has_cjk(term.text) for term in group if not term.negated
        ):
            # Lets PostgreSQL use the partial trigram index (text holding CJK only).
            conditions.append(f"p.text ~ '{CJK_CLASS}'")
        for term in group:
            # Text without letter case (Chinese) needs no ILIKE, which is ~4x slower.
            like = "ILIKE" if connection.vendor == "postgresql" and _cased(term.text) else "LIKE"
            conditions.append(f"p.text {'NOT ' if term.negated else ''}{like} %s ESCAPE '\\'")
            params.append("%" + _like_escape(term.text) + "%")
        alternatives.append("(" + " AND ".join(conditions) + ")")
    # Occurrences of each searched text in the wording: what it loses when they are cut out.
    counts = [
        "(LENGTH(LOWER(p.text)) - LENGTH(REPLACE(LOWER(p.text), LOWER(%s), ''))) "
        "/ LENGTH(%s)"
        for _ in parsed.positives
    ]
    rank_params = [value for term in parsed.positives for value in (term, term)]
    return "(" + " OR ".join(alternatives) + ")", params, "(" + " + ".join(counts) + ")", \
        rank_params


def _cased(text: str) -> bool:
    return text.lower() != text.upper()


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


_TABLES = {
    "provision": Provision._meta.db_table,
    "version": Version._meta.db_table,
    "document": Document._meta.db_table,
    "platform": Platform._meta.db_table,
}

# Hits, grouped twice: by wording (document, lineage, text hash) to rank each distinct
# wording once however many versions repeat it, and by lineage for the dates and counts.
_HITS_SQL = """
hit AS (
    SELECT p.id AS provision_id, p.lineage_id, p.sha256, p.version_id, v.document_id,
           v.captured_at, CASE WHEN s.id IS NULL THEN 1 ELSE 0 END AS in_latest
    FROM {provision} p
    JOIN {version} v ON v.id = p.version_id
    JOIN {document} d ON d.id = v.document_id
    JOIN {platform} pl ON pl.id = d.platform_id
    LEFT JOIN {version} s ON s.previous_id = v.id
    WHERE {match} AND p.lineage_id <> '' {filters}
),
lineage AS (
    SELECT document_id, lineage_id, MIN(captured_at) AS first_seen,
           MAX(captured_at) AS last_seen, COUNT(DISTINCT version_id) AS matching_versions,
           MAX(in_latest) AS in_latest
    FROM hit GROUP BY document_id, lineage_id
),
result AS (
    SELECT l.*, pl.slug AS platform_slug, pl.name AS platform_name, d.kind AS document_kind,
           d.title AS document_title,
           CASE WHEN l.in_latest = 1 AND (pl.retired_at IS NULL OR pl.retired_at > %s)
                THEN 1 ELSE 0 END AS in_force
    FROM lineage l
    JOIN {document} d ON d.id = l.document_id
    JOIN {platform} pl ON pl.id = d.platform_id
)"""

_PAGE_SQL = """
WITH {hits},
wording AS (
    SELECT document_id, lineage_id, sha256, MAX(provision_id) AS provision_id,
           MAX(captured_at) AS last_at
    FROM hit GROUP BY document_id, lineage_id, sha256
),
ranked AS (
    SELECT r.*, ROW_NUMBER() OVER (
        PARTITION BY r.document_id, r.lineage_id ORDER BY r.rank DESC, r.last_at DESC
    ) AS position
    FROM (SELECT w.*, {rank} AS rank FROM wording w JOIN {provision} p ON p.id = w.provision_id) r
),
page AS (
    SELECT res.*, r.rank, r.provision_id AS wording_provision_id, COUNT(*) OVER () AS total
    FROM result res
    JOIN ranked r ON r.document_id = res.document_id AND r.lineage_id = res.lineage_id
                 AND r.position = 1
    WHERE 1 = 1 {having}
    ORDER BY r.rank DESC, res.first_seen, res.document_id, res.lineage_id
    LIMIT %s OFFSET %s
),
ends AS (
    SELECT h.document_id, h.lineage_id,
           MIN(CASE WHEN h.captured_at = page.first_seen THEN h.version_id END)
               AS first_seen_version_id,
           MIN(CASE WHEN h.captured_at = page.last_seen THEN h.version_id END)
               AS last_seen_version_id
    FROM page JOIN hit h ON h.document_id = page.document_id AND h.lineage_id = page.lineage_id
    GROUP BY h.document_id, h.lineage_id
)
SELECT page.*, ends.first_seen_version_id, ends.last_seen_version_id
FROM page JOIN ends ON ends.document_id = page.document_id AND ends.lineage_id = page.lineage_id
ORDER BY page.rank DESC, page.first_seen, page.document_id, page.lineage_id
"""


def _hits_sql(connection, parsed, *, platform, kind, in_force, after, before):
    """The hit/lineage/result CTEs, their params, and the HAVING-like conditions."""
    match, match_params, rank, rank_params = _match_sql(connection, parsed)
    filters, filter_params = "", []
    if platform is not None:
        filters += " AND pl.slug = %s"
        filter_params.append(platform)
    if kind is not None:
        filters += " AND d.kind = %s"
        filter_params.append(kind)
    having, having_params = "", []
    if in_force is not None:
        having += " AND res.in_force = %s"
        having_params.append(1 if in_force else 0)
    adapt = connection.ops.adapt_datetimefield_value
    if after is not None:
        having += " AND res.first_seen >= %s"
        having_params.append(adapt(after))
    if before is not None:
        having += " AND res.first_seen <= %s"
        having_params.append(adapt(before))
    sql = _HITS_SQL.format(match=match, filters=filters, **_TABLES)
    params = [*match_params, *filter_params, adapt(timezone.now())]
    return sql, params, rank, rank_params, having, having_params


def _page_sql(connection, parsed, *, limit, offset, **filters):
    hits, params, rank, rank_params, having, having_params = _hits_sql(
        connection, parsed, **filters
    )
    sql = _PAGE_SQL.format(hits=hits, rank=rank, having=having, **_TABLES)
    return sql, [*params, *rank_params, *having_params, limit, offset]


def _total(connection, parsed, platform, kind, in_force, after, before) -> int:
    """How many lineages match, for a page past the last one (which has no row to say)."""
    hits, params, _, _, having, having_params = _hits_sql(
        connection, parsed, platform=platform, kind=kind, in_force=in_force, after=after,
        before=before,
    )
    with connection.cursor() as cursor:
        cursor.execute(
            # Fixed fragments and table names, no input: every value is a parameter.
            f"WITH {hits} SELECT COUNT(*) FROM result res WHERE 1 = 1 {having}",  # noqa: S608
            [*params, *having_params],
        )
        return cursor.fetchone()[0]


def _moment(value) -> datetime:
    if isinstance(value, str):  # SQLite: naive UTC text
        value = parse_datetime(value)
    return value if timezone.is_aware(value) else value.replace(tzinfo=UTC)


def _result(row: dict) -> SearchResult:
    return SearchResult(
        platform_slug=row["platform_slug"],
        platform_name=row["platform_name"],
        document_kind=row["document_kind"],
        document_title=row["document_title"],
        lineage_id=row["lineage_id"],
        rank=round(float(row["rank"] or 0), 6),
        first_seen=_moment(row["first_seen"]),
        first_seen_version_id=row["first_seen_version_id"],
        last_seen=_moment(row["last_seen"]),
        last_seen_version_id=row["last_seen_version_id"],
        in_force=bool(row["in_force"]),
        matching_versions=row["matching_versions"],
        wording_provision_id=row["wording_provision_id"],
    )


def _attach_wordings(using: str, parsed: ParsedQuery, results: list[SearchResult]) -> None:
    """Heading path, version and highlighted text of each result's best wording."""
    if not results:
        return
    provisions = Provision.objects.using(using).filter(
        pk__in=[r.wording_provision_id for r in results]
    )
    if parsed.mode == FULLTEXT:
        table = connections[using].ops.quote_name(Provision._meta.db_table)
        # A short wording is shown whole, a long one as excerpts around its matches.
        call = (
            f"ts_headline('{CONFIG}'::regconfig, replace(replace({table}.text, %s, ''), %s, ''), "
            f"websearch_to_tsquery('{CONFIG}'::regconfig, %s), %s)"
        )
        headline = RawSQL(  # noqa: S611 - a constant and a table name; values are params
            f"CASE WHEN length({table}.text) <= %s THEN {call} ELSE {call} END",
            [SHOWN_WHOLE, MARK_START, MARK_STOP, parsed.raw, _HEADLINE_WHOLE,
             MARK_START, MARK_STOP, parsed.raw, _HEADLINE_OPTIONS],
        )
        rows = provisions.annotate(marked=headline).values(
            "id", "version_id", "heading_path", "text", "marked"
        )
        wordings = {row["id"]: (row, marked_fragments(row["marked"], row["text"])) for row in rows}
    else:
        rows = provisions.values("id", "version_id", "heading_path", "text")
        wordings = {
            row["id"]: (row, substring_highlight(row["text"], parsed.positives)) for row in rows
        }
    for result in results:
        row, fragments = wordings[result.wording_provision_id]
        result.wording_version_id = row["version_id"]
        result.heading_path = row["heading_path"]
        result.highlight = fragments
