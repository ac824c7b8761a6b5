"""OAI-PMH 2.0 data provider at ``/oai``: metadata harvesting for aggregators and partner sites.

Hand-written on lxml: no maintained Django OAI-PMH provider supports Django 6, and the protocol
is small. The modules, one concern each:

* :mod:`archive.oai.protocol` — request arguments, datestamps, errors and resumption tokens;
* :mod:`archive.oai.records` — what is harvestable (the items, deleted records, sets) and the
  page queries, with a fixed number of SQL queries per response whatever the page size;
* :mod:`archive.oai.metadata` — the two metadata formats, ``oai_dc`` and ``ead`` (EAD3);
* :mod:`archive.oai.views` — the endpoint and the six verbs.

Items and identifiers
    Public documents and public collections (``public()``, the one visibility rule), named
    ``oai:<domain>:document/<identifier>`` and ``oai:<domain>:collection/<identifier>``, where
    ``<domain>`` is the host of ``KIROKU_BASE_URL`` and ``<identifier>`` the record's stable
    public identifier. The datestamp is ``updated_at`` in UTC, to the second.

Deleted records (``deletedRecord`` is ``persistent``)
    A withdrawn record (status ``withdrawn``: it was public, and is now a tombstone whose
    identifier is never reused) is reported with ``<header status="deleted">`` and no metadata,
    so harvesters remove their copy. Drafts and records in review never appear. A published but
    *restricted* record never appears either, nor does a withdrawn restricted one: the flag
    means "hide from the public", and a tombstone would confirm that the record exists.

Sets (flat, two kinds)
    ``repository:<identifier>`` for each public repository: the public units it holds and the
    documents in them. ``collection:<identifier>`` for each public unit: the unit itself, the
    units below it and their documents, at any depth (one ``tree_path`` prefix query). A record
    lists every public set it belongs to. The prefixes ``repository`` and ``collection`` name
    kinds of set, not sets of their own; hierarchical specs (``repository:a:collection:b``) were
    not chosen because a unit's spec would change whenever the unit moved.
"""
