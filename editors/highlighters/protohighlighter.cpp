// ProtoHighlighter: a word scanner; only /* */ comments carry state across lines.
#include "protohighlighter.h"

#include <QRegularExpression>
#include <QSet>

namespace Gatehouse {

namespace {

constexpr int kInComment = 1;

bool isWordChar(QChar c) { return c.isLetterOrNumber() || c == u'_'; }

const QSet<QString> &keywords()
{
    static const QSet<QString> words{
        QStringLiteral("syntax"),   QStringLiteral("edition"),    QStringLiteral("package"),
        QStringLiteral("import"),   QStringLiteral("public"),     QStringLiteral("weak"),
        QStringLiteral("option"),   QStringLiteral("message"),    QStringLiteral("enum"),
        QStringLiteral("service"),  QStringLiteral("rpc"),        QStringLiteral("returns"),
        QStringLiteral("stream"),   QStringLiteral("repeated"),   QStringLiteral("optional"),
        QStringLiteral("required"), QStringLiteral("oneof"),      QStringLiteral("map"),
        QStringLiteral("reserved"), QStringLiteral("extensions"), QStringLiteral("extend"),
        QStringLiteral("to"),       QStringLiteral("max"),        QStringLiteral("group")};
    return words;
}

const QSet<QString> &scalarTypes()
{
    static const QSet<QString> types{
        QStringLiteral("double"),   QStringLiteral("float"),    QStringLiteral("int32"),
        QStringLiteral("int64"),    QStringLiteral("uint32"),   QStringLiteral("uint64"),
        QStringLiteral("sint32"),   QStringLiteral("sint64"),   QStringLiteral("fixed32"),
        QStringLiteral("fixed64"),  QStringLiteral("sfixed32"), QStringLiteral("sfixed64"),
        QStringLiteral("bool"),     QStringLiteral("string"),   QStringLiteral("bytes")};
    return types;
}

qsizetype endOfString(const QString &text, qsizetype start)
{
    for (qsizetype j = start + 1; j < text.size(); ++j) {
        if (text[j] == u'\\')
            ++j;
        else if (text[j] == text[start])
            return j + 1;
    }
    return text.size();
}

} // namespace

void ProtoHighlighter::highlightBlock(const QString &text)
{
    static const QRegularExpression number(
        QStringLiteral("0[xX][0-9a-fA-F]+|\\d+(?:\\.\\d*)?(?:[eE][-+]?\\d+)?"));
    const qsizetype n = text.size();
    qsizetype i = 0;
    setCurrentBlockState(0);
    if (previousBlockState() == kInComment) {
        const qsizetype close = text.indexOf(u"*/");
        if (close < 0) {
            setRole(0, n, TextRole::Comment);
            setCurrentBlockState(kInComment);
            return;
        }
        setRole(0, close + 2, TextRole::Comment);
        i = close + 2;
    }

    bool optionContext = false;   // after `option`, until the statement ends
    int bracketDepth = 0;         // inside [ ... ] field options
    QString previousWord;
    while (i < n) {
        const QChar c = text[i];
        const QChar next = i + 1 < n ? text[i + 1] : QChar();
        if (c == u'/' && next == u'/') {
            setRole(i, n - i, TextRole::Comment);
            return;
        }
        if (c == u'/' && next == u'*') {
            const qsizetype close = text.indexOf(u"*/", i + 2);
            if (close < 0) {
                setRole(i, n - i, TextRole::Comment);
                setCurrentBlockState(kInComment);
                return;
            }
            setRole(i, close + 2 - i, TextRole::Comment);
            i = close + 2;
            continue;
        }
        if (c == u'"' || c == u'\'') {
            const qsizetype end = endOfString(text, i);
            setRole(i, end - i, TextRole::String);
            i = end;
            continue;
        }
        if (c.isDigit()) {
            const QRegularExpressionMatch m
                = number.match(text, i, QRegularExpression::NormalMatch,
                               QRegularExpression::AnchorAtOffsetMatchOption);
            setRole(i, m.capturedLength(), TextRole::Number);
            i += qMax(qsizetype(1), m.capturedLength());
            continue;
        }
        if (c == u'(' && (optionContext || bracketDepth > 0)) {
            qsizetype j = i + 1;
            while (j < n && (isWordChar(text[j]) || text[j] == u'.'))
                ++j;
            if (j < n && text[j] == u')' && j > i + 1) {
                setRole(i, j + 1 - i, TextRole::Option);
                i = j + 1;
                continue;
            }
        }
        if (isWordChar(c) || c == u'.') {
            qsizetype j = i;
            while (j < n && (isWordChar(text[j]) || text[j] == u'.'))
                ++j;
            const QString word = text.mid(i, j - i);
            const QString last = word.section(u'.', -1);
            if (keywords().contains(word)) {
                setRole(i, j - i, TextRole::Keyword);
                optionContext = optionContext || word == u"option";
            } else if (word == u"true" || word == u"false" || word == u"inf" || word == u"nan"
                       || (word.size() > 1 && word == word.toUpper() && word.front().isLetter()
                           && !word.contains(u'.'))) {
                // ALL_CAPS names are enum values by convention (security: [JWT, OAUTH2]).
                setRole(i, j - i, TextRole::Constant);
            } else if (scalarTypes().contains(word)) {
                setRole(i, j - i, TextRole::Type);
            } else if (previousWord == u"rpc") {
                setRole(i, j - i, TextRole::Function);
            } else if (previousWord == u"message" || previousWord == u"enum"
                       || previousWord == u"service" || previousWord == u"extend"
                       || (!last.isEmpty() && last.front().isUpper())) {
                setRole(i, j - i, TextRole::Type);
            }
            previousWord = word;
            i = j;
            continue;
        }
        if (c == u'[')
            ++bracketDepth;
        else if (c == u']')
            bracketDepth = qMax(0, bracketDepth - 1);
        else if (c == u';' || c == u'{' || c == u'}')
            optionContext = false;
        ++i;
    }
}

} // namespace Gatehouse
