"""The subscriber portal: where a company's editors watch the wire, find and take stories."""
