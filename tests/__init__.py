"""The test suite, one folder per layer of the package (inputs, economics, reports, runner, cli) and end_to_end."""
