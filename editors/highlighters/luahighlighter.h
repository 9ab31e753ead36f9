// LuaHighlighter: Lua 5.4 interceptor scripts under policies/.
#pragma once

#include "codehighlighter.h"

namespace Gatehouse {

// Keywords, true/false/nil, numbers (decimal, hex, exponents), strings including long brackets
// ([[ ]], [==[ ]==]) across lines, -- and --[[ ]] comments, function names after `function`, and
// the standard library names a script calls.
class LuaHighlighter : public CodeHighlighter
{
    Q_OBJECT
public:
    using CodeHighlighter::CodeHighlighter;
    Language language() const override { return Language::Lua; }

protected:
    void highlightBlock(const QString &text) override;
};

} // namespace Gatehouse
