// YamlHighlighter: a one-pass scanner per line; only block scalars carry state to the next line.
#include "yamlhighlighter.h"

#include <QRegularExpression>

namespace Gatehouse {

namespace {

// Block state = this + the indentation that lines of the block scalar must exceed.
constexpr int kBlockScalarState = 1000;

bool isFlowIndicator(QChar c)
{
    return c == u',' || c == u'[' || c == u']' || c == u'{' || c == u'}';
}

bool isBlank(QChar c) { return c == u' ' || c == u'\t'; }

// The end (exclusive) of a quoted scalar starting at `start`; the line's end when unterminated.
qsizetype endOfQuoted(const QString &text, qsizetype start)
{
    const QChar quote = text[start];
    for (qsizetype j = start + 1; j < text.size(); ++j) {
        if (quote == u'"' && text[j] == u'\\') {
            ++j;
        } else if (text[j] == quote) {
            if (quote == u'\'' && j + 1 < text.size() && text[j + 1] == u'\'')
                ++j;   // '' is an escaped quote inside single quotes
            else
                return j + 1;
        }
    }
    return text.size();
}

// The end (exclusive, trailing blanks dropped) of a plain scalar: it stops at ": ", " #", and in
// flow collections at , [ ] { }. A colon inside a word ("http://x", "pets:read") does not stop it.
qsizetype endOfPlain(const QString &text, qsizetype start, bool inFlow)
{
    const qsizetype n = text.size();
    qsizetype end = start + 1;
    for (qsizetype j = start; j < n; ++j) {
        const QChar c = text[j];
        if (c == u':' && j > start
            && (j + 1 == n || isBlank(text[j + 1]) || (inFlow && isFlowIndicator(text[j + 1]))))
            break;
        if (c == u'#' && j > start && isBlank(text[j - 1]))
            break;
        if (inFlow && isFlowIndicator(c) && j > start)
            break;
        if (!isBlank(c))
            end = j + 1;
    }
    return end;
}

TextRole plainScalarRole(QStringView value)
{
    static const QRegularExpression number(QStringLiteral(
        "^(?:[-+]?(?:\\d[\\d_]*(?:\\.[\\d_]*)?|\\.\\d+)(?:[eE][-+]?\\d+)?|0x[0-9a-fA-F]+|0o[0-7]+"
        "|[-+]?\\.(?:inf|Inf|INF)|\\.(?:nan|NaN|NAN))$"));
    static const QStringList constants{QStringLiteral("true"),  QStringLiteral("True"),
                                       QStringLiteral("TRUE"),  QStringLiteral("false"),
                                       QStringLiteral("False"), QStringLiteral("FALSE"),
                                       QStringLiteral("null"),  QStringLiteral("Null"),
                                       QStringLiteral("NULL"),  QStringLiteral("~")};
    if (constants.contains(value))
        return TextRole::Constant;
    if (number.match(value).hasMatch())
        return TextRole::Number;
    return TextRole::Scalar;
}

} // namespace

TextRole keyRole(QStringView name)
{
    if (name == u"$ref")
        return TextRole::Reference;
    if (name.startsWith(u"x-gatehouse-") || name.startsWith(u"x-wso2-"))
        return TextRole::Extension;
    return TextRole::Key;
}

void YamlHighlighter::highlightBlock(const QString &text)
{
    const qsizetype n = text.size();
    qsizetype indent = 0;
    while (indent < n && text[indent] == u' ')
        ++indent;

    const int previous = previousBlockState();
    if (previous >= kBlockScalarState) {
        // Blank lines belong to the block; so does anything indented beyond its parent.
        if (text.trimmed().isEmpty() || indent > previous - kBlockScalarState) {
            setRole(0, n, TextRole::BlockScalar);
            setCurrentBlockState(previous);
            return;
        }
    }
    setCurrentBlockState(-1);

    qsizetype i = 0;
    if ((text.startsWith(u"---") || text.startsWith(u"...")) && (n == 3 || isBlank(text[3]))) {
        setRole(0, 3, TextRole::Keyword);
        i = 3;
    }
    int flowDepth = 0;
    qsizetype parentIndent = indent;   // a block scalar's lines must be indented beyond this
    bool refValue = false;             // the next scalar is the target of a $ref
    while (i < n) {
        const QChar c = text[i];
        const QChar next = i + 1 < n ? text[i + 1] : QChar(u' ');
        if (isBlank(c)) {
            ++i;
            continue;
        }
        if (c == u'#' && (i == 0 || isBlank(text[i - 1]))) {
            setRole(i, n - i, TextRole::Comment);
            break;
        }
        if ((c == u'-' || c == u'?' || c == u':') && isBlank(next)) {
            if (c == u'-' && flowDepth == 0)
                parentIndent = i;
            i += 2;
            continue;
        }
        if (c == u'-' && i + 1 == n) {
            ++i;
            continue;
        }
        if (c == u'[' || c == u'{') {
            ++flowDepth;
            ++i;
            continue;
        }
        if (c == u']' || c == u'}' || c == u',') {
            if (c != u',')
                flowDepth = qMax(0, flowDepth - 1);
            ++i;
            continue;
        }
        if (c == u'&' || c == u'*' || c == u'!') {
            qsizetype j = i + 1;
            while (j < n && !isBlank(text[j]) && !(flowDepth > 0 && isFlowIndicator(text[j])))
                ++j;
            setRole(i, j - i, TextRole::Anchor);
            i = j;
            continue;
        }
        if ((c == u'|' || c == u'>') && flowDepth == 0) {
            // A block scalar header: the indicator, chomping/indentation marks, then only a
            // comment.
            qsizetype j = i + 1;
            while (j < n && (text[j].isDigit() || text[j] == u'+' || text[j] == u'-'))
                ++j;
            qsizetype k = j;
            while (k < n && isBlank(text[k]))
                ++k;
            if (k == n || (text[k] == u'#' && k > j)) {
                setRole(i, j - i, TextRole::Keyword);
                if (k < n)
                    setRole(k, n - k, TextRole::Comment);
                setCurrentBlockState(kBlockScalarState + int(parentIndent));
                return;
            }
        }

        const bool quoted = c == u'"' || c == u'\'';
        const qsizetype end = quoted ? endOfQuoted(text, i) : endOfPlain(text, i, flowDepth > 0);
        qsizetype colon = end;
        while (colon < n && isBlank(text[colon]))
            ++colon;
        const bool isKey = colon < n && text[colon] == u':'
                           && (quoted || colon + 1 == n || isBlank(text[colon + 1])
                               || (flowDepth > 0 && isFlowIndicator(text[colon + 1])));
        if (isKey) {
            const QStringView name = quoted ? QStringView(text).mid(i + 1, qMax(0, end - i - 2))
                                            : QStringView(text).mid(i, end - i);
            const TextRole role = keyRole(name);
            setRole(i, end - i, role);
            refValue = role == TextRole::Reference;
            if (flowDepth == 0)
                parentIndent = i;
            i = colon + 1;
            continue;
        }
        TextRole role
            = quoted ? TextRole::String : plainScalarRole(QStringView(text).mid(i, end - i));
        if (refValue)
            role = TextRole::Reference;
        refValue = false;
        setRole(i, end - i, role);
        i = end;
    }
}

} // namespace Gatehouse
