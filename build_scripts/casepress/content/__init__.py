"""Content: the files editors write, read and validated (YAML with positions, pydantic
models, hand-written pages), and what is worked out from one file alone (times, figure
keys, skeletons, JSON Schemas)."""
