// JsonHighlighter: JSON documents (OpenAPI in JSON, settings exported as JSON).
#pragma once

#include "codehighlighter.h"

namespace Gatehouse {

// Keys, strings, numbers, true/false/null; "$ref" and "x-gatehouse-*"/"x-wso2-*" keys emphasised as
// in YAML. Tolerates // comments (JSONC) without calling them errors: the loader reports those.
class JsonHighlighter : public CodeHighlighter
{
    Q_OBJECT
public:
    using CodeHighlighter::CodeHighlighter;
    Language language() const override { return Language::Json; }

protected:
    void highlightBlock(const QString &text) override;
};

} // namespace Gatehouse
