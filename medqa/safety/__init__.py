"""The one set of safety detectors, shared by annotation (`medqa prepare`), the `medical_safety` metric,
the demo's emergency banner and the training-time rewards.

Candidate finders (`drugs`, `quantity`, `referral`, `red_flags`) → a status per span (`status`) →
verdicts that read the drug knowledge base (`knowledge`, data under `medqa/resources/drugs/`) and the
question's context (`context`, `prescriptions`). Cue lexicons are YAML files under
`medqa/resources/lexicons/`."""
