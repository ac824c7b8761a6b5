"""Interchange exports in the field's standards: EAD3, EAC-CPF and IIIF Presentation 3.

Each export reads public records only, through the models' ``public_q()`` / ``public()``, and
loads what it writes in a fixed number of queries; the writers themselves run no query. The
EAD writer (:mod:`archive.interchange.ead`) is shared with the OAI-PMH ``ead`` format.
"""
