"""Inputs: read and validate files, return frozen records. Nothing else in the package reads input files.

- :mod:`.yamlfile`: the one strict YAML reader (scenarios, regions, locales);
- :mod:`.csvtable`: the one CSV validator (figures, projects, indicators, bulletins);
- :mod:`.validation`: pydantic errors as one line (file, field, problem);
- :mod:`.indicators`, :mod:`.figures`, :mod:`.projects`, :mod:`.regions`: a region's
  data, loaded once into a :class:`~.regions.RegionData`;
- :mod:`.bulletins`: users' annual bulletin series;
- :mod:`.scenario`: the scenario schema, loader and provenance.
"""
