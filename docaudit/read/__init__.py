"""Reading untrusted bytes: what a file is (:mod:`.sniff`), the bounds it is read under (:mod:`.limits`), its
text and layout (:mod:`.extract`), in a limited worker (:mod:`.isolation`) or here (:mod:`.prepare`),
a file or a fetched page (:mod:`.document`, :mod:`.fetch`)."""
