"""The capital round: the scoring sheet, the ranked recommendations and each bid's steps to
payment (`pipeline meeting scores`, `pipeline capital record`)."""
