/* Loading YAML text: see yamlio.h. */
#include "yamlio.h"

#include <stdio.h>

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
