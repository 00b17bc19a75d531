/* Provenance of a tabulated parameter (the filler and enzyme product tables, docs/products.md): where a
   value comes from and how far to trust it. The tags are those of ../reference/ha-enzyme-ischemia.md,
   with E and U added:
     V  checked against a label, an abstract, an official record or a source file;
     M  from memory or a secondary source, not checked against the primary paper;
     D  derived: a calculation or a fit to data, shown where the value is defined;
     E  an estimate or an assumption of ours, stated where the value is defined;
     U  given by the user: an option overrode the table. */
#pragma once

typedef struct {
  const char *source; /* short citation, e.g. "ref 1A (labels, reviews)" */
  char        tag;    /* 'V', 'M', 'D', 'E' or 'U' */
} HavocProvenance;
