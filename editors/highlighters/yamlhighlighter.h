// YamlHighlighter: YAML 1.2 as OpenAPI documents and gatehouse.yaml use it.
#pragma once

#include "codehighlighter.h"

namespace Gatehouse {

// Keys, plain and quoted scalars, numbers, true/false/null, comments, anchors/aliases/tags, block
// scalars (| and >, spanning lines), with $ref and x-gatehouse-*/x-wso2-* keys emphasised.
// Follows the YAML 1.2 core schema the loader uses: "yes" and "on" are text, not booleans.
class YamlHighlighter : public CodeHighlighter
{
    Q_OBJECT
public:
    using CodeHighlighter::CodeHighlighter;
    Language language() const override { return Language::Yaml; }

protected:
    void highlightBlock(const QString &text) override;
};

// The role of a mapping key by its name: Reference for $ref, Extension for the gateway's keys.
TextRole keyRole(QStringView name);

} // namespace Gatehouse
