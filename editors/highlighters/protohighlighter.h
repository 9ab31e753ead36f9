// ProtoHighlighter: Protocol Buffers sources (.proto) with the gateway's options.
#pragma once

#include "codehighlighter.h"

namespace Gatehouse {

// Keywords, scalar and message types, rpc names, strings, numbers, // and /* */ comments, and
// option names in parentheses ("(gatehouse.security)", "(wso2.scopes)") emphasised like YAML
// extensions: both are where a proto or an OpenAPI file configures the gateway.
class ProtoHighlighter : public CodeHighlighter
{
    Q_OBJECT
public:
    using CodeHighlighter::CodeHighlighter;
    Language language() const override { return Language::Proto; }

protected:
    void highlightBlock(const QString &text) override;
};

} // namespace Gatehouse
