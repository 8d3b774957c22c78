"""Errors of the environment (not of documents): each carries the exit code the CLI returns."""

from __future__ import annotations


class PipelineError(Exception):
    exit_code = 1


class ConfigError(PipelineError):
    exit_code = 2


class StoreError(PipelineError):
    exit_code = 3


class RegisterError(PipelineError):
    exit_code = 4


class SourceError(PipelineError):
    exit_code = 5
