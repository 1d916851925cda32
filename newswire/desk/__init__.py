"""The newsroom desk (issue 17): drafts, stages, locks and the pages editors work in."""
