"""What a sentence means, read the same way by the diff and the commitments: the words meaning turns on
(:mod:`.lexicon`), Dutch deadlines as date ranges (:mod:`.deadline`), the promise a sentence makes
(:mod:`.promise`), the roles of its numbers (:mod:`.numbers`) and the one analysis of a sentence pair that the
diff's signals, the commitments, ``changes``, notifications, the feed and the report all show
(:mod:`.pair`)."""
