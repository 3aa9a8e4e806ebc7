"""The one set of safety detectors, shared by annotation (`medqa prepare`), the `medical_safety` metric
and the demo's emergency banner. Lexicons are YAML data files under `medqa/resources/lexicons/`."""
