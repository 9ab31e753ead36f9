// EditorTheme: the code editor's colours, derived from the widget palette so dark and light both
// read.
#pragma once

#include <QColor>
#include <QTextFormat>

class QPalette;
class QTextCharFormat;

namespace Gatehouse {

// What a piece of highlighted text is. Highlighters tag their formats with it (kTextRoleProperty),
// so tests and tools can ask "what is at this position" without comparing colours.
enum class TextRole {
    Key = 1,       // a mapping key ("title:", "\"title\":")
    Scalar,        // an unquoted YAML value
    String,        // a quoted string
    Number,
    Constant,      // true, false, null, nil, ~
    Keyword,       // language keywords, YAML document markers and block scalar indicators
    Comment,
    Type,          // proto scalar and message types, Lua standard library names
    Function,      // proto rpc names, Lua function names
    Anchor,        // YAML anchors, aliases and tags
    Reference,     // $ref keys and their values
    Extension,     // x-gatehouse-* / x-wso2-* keys: the gateway's own settings
    Option,        // proto option names in parentheses: (gatehouse.security)
    BlockScalar,   // the text of a YAML | or > block
};

inline constexpr int kTextRoleProperty = QTextFormat::UserProperty + 1;
inline constexpr int kTextRoleCount = int(TextRole::BlockScalar);

struct EditorTheme
{
    bool dark = false;
    QColor text;
    QColor background;
    QColor gutter;              // the line-number area
    QColor gutterText;
    QColor gutterCurrentText;
    QColor currentLine;         // background of the line holding the cursor
    QColor searchMatch;         // background of every find match
    QColor error;               // wavy underline and gutter marker
    QColor warning;
    QColor note;

    // The foreground of each TextRole, indexed by int(role) - 1.
    QColor roles[kTextRoleCount];

    static EditorTheme fromPalette(const QPalette &palette);
    QColor color(TextRole role) const { return roles[int(role) - 1]; }
    // The character format for a role: colour, weight, slant and the role property.
    QTextCharFormat format(TextRole role) const;
};

} // namespace Gatehouse
