// LuaHighlighter: long strings and long comments carry their bracket level to the next line.
#include "luahighlighter.h"

#include <QRegularExpression>
#include <QSet>

namespace Gatehouse {

namespace {

// Block state = kind + the number of '=' in the open long bracket.
constexpr int kLongString = 1000;
constexpr int kLongComment = 2000;

bool isWordChar(QChar c) { return c.isLetterOrNumber() || c == u'_'; }

// The level of a long bracket "[==[" opening at `pos`, or -1 when there is none.
int openBracketLevel(const QString &text, qsizetype pos)
{
    if (pos >= text.size() || text[pos] != u'[')
        return -1;
    qsizetype j = pos + 1;
    while (j < text.size() && text[j] == u'=')
        ++j;
    return j < text.size() && text[j] == u'[' ? int(j - pos - 1) : -1;
}

QString closeBracket(int level) { return u']' + QString(level, u'=') + u']'; }

const QSet<QString> &keywords()
{
    static const QSet<QString> words{
        QStringLiteral("and"),   QStringLiteral("break"),  QStringLiteral("do"),
        QStringLiteral("else"),  QStringLiteral("elseif"), QStringLiteral("end"),
        QStringLiteral("for"),   QStringLiteral("function"), QStringLiteral("goto"),
        QStringLiteral("if"),    QStringLiteral("in"),     QStringLiteral("local"),
        QStringLiteral("not"),   QStringLiteral("or"),     QStringLiteral("repeat"),
        QStringLiteral("return"), QStringLiteral("then"),  QStringLiteral("until"),
        QStringLiteral("while")};
    return words;
}

const QSet<QString> &builtins()
{
    static const QSet<QString> names{
        QStringLiteral("assert"),   QStringLiteral("collectgarbage"), QStringLiteral("coroutine"),
        QStringLiteral("error"),    QStringLiteral("getmetatable"),   QStringLiteral("io"),
        QStringLiteral("ipairs"),   QStringLiteral("math"),           QStringLiteral("next"),
        QStringLiteral("os"),       QStringLiteral("pairs"),          QStringLiteral("pcall"),
        QStringLiteral("print"),    QStringLiteral("rawequal"),       QStringLiteral("rawget"),
        QStringLiteral("rawlen"),   QStringLiteral("rawset"),         QStringLiteral("require"),
        QStringLiteral("select"),   QStringLiteral("setmetatable"),   QStringLiteral("string"),
        QStringLiteral("table"),    QStringLiteral("tonumber"),       QStringLiteral("tostring"),
        QStringLiteral("type"),     QStringLiteral("utf8"),           QStringLiteral("xpcall"),
        QStringLiteral("self")};
    return names;
}

} // namespace

void LuaHighlighter::highlightBlock(const QString &text)
{
    static const QRegularExpression number(
        QStringLiteral("0[xX][0-9a-fA-F]*(?:\\.[0-9a-fA-F]*)?(?:[pP][-+]?\\d+)?|(?:\\d+\\.?\\d*|\\."
                       "\\d+)(?:[eE][-+]?\\d+)?"));
    const qsizetype n = text.size();
    qsizetype i = 0;
    setCurrentBlockState(-1);

    // Finishes a long string or comment opened at `from` (or on an earlier line); false when it
    // runs past this line, which then leaves the state for the next one.
    auto finishLong = [&](qsizetype from, qsizetype searchFrom, int kind, int level) {
        const QString close = closeBracket(level);
        const qsizetype end = text.indexOf(close, searchFrom);
        const TextRole role = kind == kLongComment ? TextRole::Comment : TextRole::String;
        if (end < 0) {
            setRole(from, n - from, role);
            setCurrentBlockState(kind + level);
            return false;
        }
        setRole(from, end + close.size() - from, role);
        i = end + close.size();
        return true;
    };

    const int previous = previousBlockState();
    if (previous >= kLongString) {
        const int kind = previous >= kLongComment ? kLongComment : kLongString;
        if (!finishLong(0, 0, kind, previous - kind))
            return;
    }

    bool afterFunction = false;   // the next name is the one being defined
    while (i < n) {
        const QChar c = text[i];
        const QChar next = i + 1 < n ? text[i + 1] : QChar();
        if (c == u'-' && next == u'-') {
            const int level = openBracketLevel(text, i + 2);
            if (level < 0) {
                setRole(i, n - i, TextRole::Comment);
                return;
            }
            if (!finishLong(i, i + 4 + level, kLongComment, level))
                return;
            continue;
        }
        if (c == u'[') {
            const int level = openBracketLevel(text, i);
            if (level >= 0) {
                if (!finishLong(i, i + 2 + level, kLongString, level))
                    return;
                continue;
            }
        }
        if (c == u'"' || c == u'\'') {
            qsizetype j = i + 1;
            while (j < n && text[j] != c)
                j += text[j] == u'\\' ? 2 : 1;
            const qsizetype end = qMin(n, j + 1);
            setRole(i, end - i, TextRole::String);
            i = end;
            continue;
        }
        if (c.isDigit() || (c == u'.' && next.isDigit())) {
            const QRegularExpressionMatch m
                = number.match(text, i, QRegularExpression::NormalMatch,
                               QRegularExpression::AnchorAtOffsetMatchOption);
            const qsizetype length = qMax(qsizetype(1), m.capturedLength());
            setRole(i, length, TextRole::Number);
            i += length;
            continue;
        }
        if (c.isLetter() || c == u'_') {
            qsizetype j = i;
            while (j < n && isWordChar(text[j]))
                ++j;
            const QString word = text.mid(i, j - i);
            if (afterFunction) {
                setRole(i, j - i, TextRole::Function);
                // function a.b:c() names all three parts
                afterFunction = j < n && (text[j] == u'.' || text[j] == u':');
            } else if (keywords().contains(word)) {
                setRole(i, j - i, TextRole::Keyword);
                afterFunction = word == u"function";
            } else if (word == u"true" || word == u"false" || word == u"nil") {
                setRole(i, j - i, TextRole::Constant);
            } else if (builtins().contains(word) && (i == 0 || text[i - 1] != u'.')) {
                setRole(i, j - i, TextRole::Type);
            }
            i = j;
            continue;
        }
        if (!c.isSpace() && c != u'.' && c != u':')
            afterFunction = false;
        ++i;
    }
}

} // namespace Gatehouse
