"""The admin's reports: the HTML referrals report and the Excel tracker."""

from pipeline.reports.html_report import write_html_report
from pipeline.reports.tracker import write_tracker

__all__ = ["write_html_report", "write_tracker"]
