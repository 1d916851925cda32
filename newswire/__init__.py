"""newswire: a news agency's broadcasting system."""

__version__ = "0.1.0"
