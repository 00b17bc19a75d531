/* Loading YAML text: one document per file, with the line of what is wrong. Shared by the readers of
   network, variant, case and calibration files, each of which words its own message. */
#pragma once

#include <stddef.h>
#include <yaml.h>

enum { HAVOC_YAML_OK,
       HAVOC_YAML_SYNTAX,   /* not YAML: *line and problem[] say where and what */
       HAVOC_YAML_SECOND }; /* a second document after the first, starting at *line */

/* Loads the one document of text[0..len) into *doc, which the caller deletes; on any other result *doc is
   not loaded. */
int HavocYamlLoad(const char *text, size_t len, yaml_document_t *doc, long *line, char *problem, size_t plen);
