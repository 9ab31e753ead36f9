// CodeHighlighter: the base of the editor's highlighters; formats come from an EditorTheme by role.
#pragma once

#include "editortheme.h"

#include <QSyntaxHighlighter>

#include <array>
#include <optional>

namespace Gatehouse {

enum class Language { PlainText = 1, Yaml, Json, Proto, Lua };

// By suffix: .yaml/.yml, .json, .proto, .lua; anything else is plain text.
Language languageForFile(const QString &fileName);

class CodeHighlighter : public QSyntaxHighlighter
{
    Q_OBJECT
public:
    CodeHighlighter(QTextDocument *document, const EditorTheme &theme);

    virtual Language language() const = 0;
    const EditorTheme &theme() const { return m_theme; }
    // Re-colours the whole document, e.g. after the palette switched between light and dark.
    void setTheme(const EditorTheme &theme);

    // The role a highlighter gave to a character format, if any.
    static std::optional<TextRole> roleOf(const QTextCharFormat &format);

protected:
    void setRole(qsizetype start, qsizetype length, TextRole role)
    {
        setFormat(int(start), int(length), m_formats[std::size_t(role) - 1]);
    }

private:
    void buildFormats();

    EditorTheme m_theme;
    std::array<QTextCharFormat, kTextRoleCount> m_formats;
};

// The highlighter for a language, parented to the document; nullptr for plain text.
CodeHighlighter *createHighlighter(Language language, QTextDocument *document,
                                   const EditorTheme &theme);

} // namespace Gatehouse
