"""PHREEQC geochemistry through phreeqpy's IPhreeqc: databases, safe input, speciation."""
