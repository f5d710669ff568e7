"""Charts: matplotlib figures of one scenario, of many scenarios and of the annual review."""
