/* Loading YAML text: one document per file, with the line of what is wrong. Shared by the readers of
   network, variant, case and calibration files, each of which words its own message. */
#pragma once

#include <petscsys.h>
#include <stddef.h>
#include <yaml.h>

enum { HAVOC_YAML_OK,
       HAVOC_YAML_SYNTAX,   /* not YAML: *line and problem[] say where and what */
       HAVOC_YAML_SECOND }; /* a second document after the first, starting at *line */

/* Reading nodes: the 1-based line where a node starts, the text of a scalar, what kind of node it is (for
   messages), and the items of a list. */
static inline int HavocYamlLine(const yaml_node_t *node)
{
  return (int)node->start_mark.line + 1;
}

static inline const char *HavocYamlText(const yaml_node_t *node)
{
  return (const char *)node->data.scalar.value;
}

static inline const char *HavocYamlKind(const yaml_node_t *node)
{
  if (node->type == YAML_MAPPING_NODE) return "a mapping";
  if (node->type == YAML_SEQUENCE_NODE) return "a list";
  return "a value";
}

static inline long HavocYamlListLength(const yaml_node_t *list)
{
  return (long)(list->data.sequence.items.top - list->data.sequence.items.start);
}

static inline yaml_node_t *HavocYamlListItem(yaml_document_t *doc, const yaml_node_t *list, long i)
{
  return yaml_document_get_node(doc, list->data.sequence.items.start[i]);
}

/* The value of key in a mapping, or NULL (also when map is not a mapping). */
yaml_node_t *HavocYamlFind(yaml_document_t *doc, const yaml_node_t *map, const char *key);

/* That map is a mapping whose keys are all among keys[0..nkeys), each once; otherwise a user error
   "label:line: ctx: ..." naming the key and what was expected. */
PetscErrorCode HavocYamlCheckKeys(MPI_Comm comm, const char label[], yaml_document_t *doc, const yaml_node_t *map, const char *ctx, const char *const keys[], PetscInt nkeys);

/* Loads the one document of text[0..len) into *doc, which the caller deletes; on any other result *doc is
   not loaded. */
int HavocYamlLoad(const char *text, size_t len, yaml_document_t *doc, long *line, char *problem, size_t plen);
