"""The standard chapters: what is special to each (the generic path is ``chapters.standard``)."""
