// JsonHighlighter: JSON strings cannot span lines, so every line is scanned on its own.
#include "jsonhighlighter.h"

#include "yamlhighlighter.h"

#include <QRegularExpression>

namespace Gatehouse {

namespace {

qsizetype endOfString(const QString &text, qsizetype start)
{
    for (qsizetype j = start + 1; j < text.size(); ++j) {
        if (text[j] == u'\\')
            ++j;
        else if (text[j] == u'"')
            return j + 1;
    }
    return text.size();
}

} // namespace

void JsonHighlighter::highlightBlock(const QString &text)
{
    static const QRegularExpression number(QStringLiteral("-?\\d+(?:\\.\\d+)?(?:[eE][-+]?\\d+)?"));
    const qsizetype n = text.size();
    bool refValue = false;
    qsizetype i = 0;
    while (i < n) {
        const QChar c = text[i];
        if (c == u'"') {
            const qsizetype end = endOfString(text, i);
            qsizetype colon = end;
            while (colon < n && text[colon].isSpace())
                ++colon;
            TextRole role = TextRole::String;
            if (colon < n && text[colon] == u':') {
                role = keyRole(QStringView(text).mid(i + 1, qMax(qsizetype(0), end - i - 2)));
                refValue = role == TextRole::Reference;
            } else {
                if (refValue)
                    role = TextRole::Reference;
                refValue = false;
            }
            setRole(i, end - i, role);
            i = end;
        } else if (c == u'-' || c.isDigit()) {
            const QRegularExpressionMatch m
                = number.match(text, i, QRegularExpression::NormalMatch,
                               QRegularExpression::AnchorAtOffsetMatchOption);
            const qsizetype length = m.hasMatch() ? m.capturedLength() : 1;
            if (m.hasMatch())
                setRole(i, length, TextRole::Number);
            refValue = false;
            i += length;
        } else if (c.isLetter()) {
            qsizetype j = i;
            while (j < n && text[j].isLetterOrNumber())
                ++j;
            const QStringView word = QStringView(text).mid(i, j - i);
            if (word == u"true" || word == u"false" || word == u"null")
                setRole(i, j - i, TextRole::Constant);
            refValue = false;
            i = j;
        } else if (c == u'/' && i + 1 < n && text[i + 1] == u'/') {
            setRole(i, n - i, TextRole::Comment);
            break;
        } else {
            ++i;
        }
    }
}

} // namespace Gatehouse
