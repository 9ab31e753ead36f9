// CodeHighlighter: role-tagged formats shared by the language highlighters, and the factory.
#include "codehighlighter.h"

#include "jsonhighlighter.h"
#include "luahighlighter.h"
#include "protohighlighter.h"
#include "yamlhighlighter.h"

#include <QFileInfo>

namespace Gatehouse {

Language languageForFile(const QString &fileName)
{
    const QString suffix = QFileInfo(fileName).suffix().toLower();
    if (suffix == u"yaml" || suffix == u"yml")
        return Language::Yaml;
    if (suffix == u"json")
        return Language::Json;
    if (suffix == u"proto")
        return Language::Proto;
    if (suffix == u"lua")
        return Language::Lua;
    return Language::PlainText;
}

CodeHighlighter::CodeHighlighter(QTextDocument *document, const EditorTheme &theme)
    : QSyntaxHighlighter(document), m_theme(theme)
{
    buildFormats();
}

void CodeHighlighter::setTheme(const EditorTheme &theme)
{
    m_theme = theme;
    buildFormats();
    rehighlight();
}

void CodeHighlighter::buildFormats()
{
    for (std::size_t i = 0; i < m_formats.size(); ++i)
        m_formats[i] = m_theme.format(TextRole(i + 1));
}

std::optional<TextRole> CodeHighlighter::roleOf(const QTextCharFormat &format)
{
    const int role = format.intProperty(kTextRoleProperty);
    if (role < int(TextRole::Key) || role > kTextRoleCount)
        return std::nullopt;
    return TextRole(role);
}

CodeHighlighter *createHighlighter(Language language, QTextDocument *document,
                                   const EditorTheme &theme)
{
    switch (language) {
    case Language::Yaml:
        return new YamlHighlighter(document, theme);
    case Language::Json:
        return new JsonHighlighter(document, theme);
    case Language::Proto:
        return new ProtoHighlighter(document, theme);
    case Language::Lua:
        return new LuaHighlighter(document, theme);
    case Language::PlainText:
        break;
    }
    return nullptr;
}

} // namespace Gatehouse
