"""A letter's text: normalized (:mod:`.normalize`), cut into sentences and sections (:mod:`.segment`), its
letterhead and furniture named (:mod:`.letterparts`), its date, kenmerk and title found (:mod:`.metadata`),
and the plain tables and sizes docaudit prints (:mod:`.formatting`)."""
