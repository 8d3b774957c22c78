"""The seeds' impact measures: baselines from referrals, outcomes from reviews, and the
cluster's own counts; one page in every bundle and a sheet in the tracker."""
