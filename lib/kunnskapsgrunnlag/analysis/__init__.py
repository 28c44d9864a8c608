"""Analysis layer: comparisons, trends and the words that describe them, in nb and nn.

Pure functions of indicator values (no drawing, no HTML). ``analysis.barometer`` holds the
barometer rows a chapter emits for the report's «Utfordringer og muligheter» section, their JSON
contract and the sentences computed from them.
"""
