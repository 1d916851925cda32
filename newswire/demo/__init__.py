"""Demo content for `make run`: stories written for the project, and demo keys."""
