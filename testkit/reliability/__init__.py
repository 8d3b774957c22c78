"""Reliability: hostile input and crash trials that prove nothing is lost and nothing leaks."""
