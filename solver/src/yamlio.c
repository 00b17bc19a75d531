/* Loading YAML text: see yamlio.h. */
#include "yamlio.h"
#include "havoc.h"

#include <stdio.h>
#include <string.h>

int HavocYamlLoad(const char *text, size_t len, yaml_document_t *doc, long *line, char *problem, size_t plen)
{
  yaml_parser_t   parser;
  yaml_document_t extra;
  int             rc = HAVOC_YAML_OK;

  *line = 0;
  if (plen) problem[0] = 0;
  if (!yaml_parser_initialize(&parser)) {
    snprintf(problem, plen, "cannot initialize the YAML parser");
    return HAVOC_YAML_SYNTAX;
  }
  yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
  if (!yaml_parser_load(&parser, doc)) rc = HAVOC_YAML_SYNTAX;
  else if (!yaml_parser_load(&parser, &extra)) {
    yaml_document_delete(doc);
    rc = HAVOC_YAML_SYNTAX;
  } else {
    const yaml_node_t *root = yaml_document_get_root_node(&extra);
    if (root) {
      *line = (long)root->start_mark.line + 1;
      yaml_document_delete(doc);
      rc = HAVOC_YAML_SECOND;
    }
    yaml_document_delete(&extra);
  }
  if (rc == HAVOC_YAML_SYNTAX && parser.error != YAML_NO_ERROR) {
    *line = (long)parser.problem_mark.line + 1;
    snprintf(problem, plen, "%s%s%s%s", parser.problem ? parser.problem : "unreadable input", parser.context ? " (" : "", parser.context ? parser.context : "", parser.context ? ")" : "");
  }
  yaml_parser_delete(&parser);
  return rc;
}

yaml_node_t *HavocYamlFind(yaml_document_t *doc, const yaml_node_t *map, const char *key)
{
  if (map->type != YAML_MAPPING_NODE) return NULL;
  for (yaml_node_pair_t *pair = map->data.mapping.pairs.start; pair < map->data.mapping.pairs.top; pair++) {
    const yaml_node_t *k = yaml_document_get_node(doc, pair->key);
    if (k->type == YAML_SCALAR_NODE && !strcmp(HavocYamlText(k), key)) return yaml_document_get_node(doc, pair->value);
  }
  return NULL;
}

PetscErrorCode HavocYamlCheckKeys(MPI_Comm comm, const char label[], yaml_document_t *doc, const yaml_node_t *map, const char *ctx, const char *const keys[], PetscInt nkeys)
{
  PetscFunctionBeginUser;
  HavocCheckUser(map->type == YAML_MAPPING_NODE, comm, "%s:%d: %s: expected a mapping of keys to values, got %s", label, HavocYamlLine(map), ctx, HavocYamlKind(map));
  for (yaml_node_pair_t *pair = map->data.mapping.pairs.start; pair < map->data.mapping.pairs.top; pair++) {
    const yaml_node_t *key   = yaml_document_get_node(doc, pair->key);
    PetscBool          known = PETSC_FALSE;

    HavocCheckUser(key->type == YAML_SCALAR_NODE, comm, "%s:%d: %s: expected a key, got %s", label, HavocYamlLine(key), ctx, HavocYamlKind(key));
    for (PetscInt k = 0; k < nkeys; k++)
      if (!strcmp(HavocYamlText(key), keys[k])) known = PETSC_TRUE;
    if (!known) {
      char expected[512] = "";
      for (PetscInt k = 0; k < nkeys; k++) {
        if (k) PetscCall(HavocStrlcat(expected, ", ", sizeof(expected)));
        PetscCall(HavocStrlcat(expected, keys[k], sizeof(expected)));
      }
      SETERRQ(comm, PETSC_ERR_USER_INPUT, "%s:%d: %s: unknown key '%s' (expected one of: %s)", label, HavocYamlLine(key), ctx, HavocYamlText(key), expected);
    }
    for (yaml_node_pair_t *prev = map->data.mapping.pairs.start; prev < pair; prev++) {
      const yaml_node_t *prev_key = yaml_document_get_node(doc, prev->key);
      HavocCheckUser(strcmp(HavocYamlText(prev_key), HavocYamlText(key)), comm, "%s:%d: %s: key '%s' given twice (first at line %d)", label, HavocYamlLine(key), ctx, HavocYamlText(key), HavocYamlLine(prev_key));
    }
  }
  PetscFunctionReturn(0);
}
