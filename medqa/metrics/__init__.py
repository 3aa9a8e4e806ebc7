"""The `medical_safety` evaluate module, its scoring core and the statistics it reports."""
