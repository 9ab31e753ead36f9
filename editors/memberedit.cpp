// MemberEdit: a line scanner for YAML block mappings and a token scanner for JSON objects, each
// finding a member's exact extent so that a change replaces those characters and nothing else.
#include "memberedit.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

namespace Gatehouse {

QString applyTextChange(QString text, const TextChange &change)
{
    return text.replace(change.position, change.removed, change.inserted);
}

TextSyntax detectTextSyntax(QStringView text)
{
    bool comment = false;
    for (const QChar c : text) {
        if (comment) {
            comment = c != u'\n';
            continue;
        }
        if (c == u'#') {
            comment = true;
            continue;
        }
        if (!c.isSpace())
            return c == u'{' ? TextSyntax::Json : TextSyntax::Yaml;
    }
    return TextSyntax::Yaml;
}

QString yamlScalar(const QJsonValue &value, bool flow)
{
    if (value.isBool())
        return value.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    if (value.isDouble()) {
        const double d = value.toDouble();
        return d == double(qint64(d)) ? QString::number(qint64(d)) : QString::number(d);
    }
    if (!value.isString())
        return QStringLiteral("null");
    const QString s = value.toString();
    static const QRegularExpression reserved(
        QStringLiteral("^(null|~|true|false|yes|no|on|off|y|n|[-+]?[0-9.][0-9._a-fA-FxXoOeE+-]*|"
                       "[-+]?\\.(inf|nan))$"),
        QRegularExpression::CaseInsensitiveOption);
    static const QString badFirst = QStringLiteral("-?:,[]{}#&*!|>'\"%@` ");
    bool plain = !s.isEmpty() && !badFirst.contains(s.front()) && !s.back().isSpace()
                 && !s.contains(QStringLiteral(": ")) && !s.contains(QStringLiteral(" #"))
                 && !s.endsWith(u':') && !s.contains(u'\n') && !s.contains(u'\t')
                 && !reserved.match(s).hasMatch();
    if (plain && flow) {
        for (const QChar c : QStringLiteral(",[]{}:"))
            plain = plain && !s.contains(c);
    }
    if (plain)
        return s;
    QString quoted = s;
    return u'\'' + quoted.replace(u'\'', QStringLiteral("''")) + u'\'';
}

namespace {

// lupdate files these under the context the lookup uses (a one-argument helper it cannot see).
struct MemberEditText
{
    Q_DECLARE_TR_FUNCTIONS(Gatehouse::MemberEdit)
};

bool isScalar(const QJsonValue &v) { return !v.isArray() && !v.isObject(); }

bool allScalars(const QJsonArray &a)
{
    return std::all_of(a.begin(), a.end(), [](const QJsonValue &v) { return isScalar(v); });
}

QString yamlKey(const QString &key) { return yamlScalar(key, false); }

// ---- YAML -----------------------------------------------------------------------------------------

// `key: value` at `indent`, as lines without line breaks.
QStringList yamlMember(const QString &key, const QJsonValue &value, const QString &indent,
                       const QString &unit)
{
    const QString head = indent + yamlKey(key) + u':';
    if (isScalar(value))
        return {head + u' ' + yamlScalar(value, false)};
    if (value.isArray() && allScalars(value.toArray())) {
        QStringList items;
        for (const QJsonValue &v : value.toArray())
            items.append(yamlScalar(v, true));
        return {head + QStringLiteral(" [") + items.join(QStringLiteral(", ")) + u']'};
    }
    if (value.isObject() && value.toObject().isEmpty())
        return {head + QStringLiteral(" {}")};
    QStringList lines{head};
    const QString inner = indent + unit;
    if (value.isObject()) {
        const QJsonObject o = value.toObject();
        for (auto it = o.begin(); it != o.end(); ++it)
            lines += yamlMember(it.key(), it.value(), inner, unit);
        return lines;
    }
    for (const QJsonValue &item : value.toArray()) {
        if (isScalar(item)) {
            lines.append(inner + QStringLiteral("- ") + yamlScalar(item, false));
            continue;
        }
        // "- " then the item's first member on the same line, the others aligned under it.
        QStringList itemLines;
        if (item.isObject()) {
            const QJsonObject o = item.toObject();
            for (auto it = o.begin(); it != o.end(); ++it)
                itemLines += yamlMember(it.key(), it.value(), inner + QStringLiteral("  "), unit);
        }
        if (itemLines.isEmpty()) {
            lines.append(inner + QStringLiteral("- {}"));
            continue;
        }
        itemLines.first().replace(0, inner.size() + 2, inner + QStringLiteral("- "));
        lines += itemLines;
    }
    return lines;
}

struct Line
{
    int start = 0;   // character offset in the text
    QStringView text;
    int indent() const
    {
        int i = 0;
        while (i < text.size() && text[i] == u' ')
            ++i;
        return i;
    }
    bool isContent() const
    {
        const QStringView t = text.trimmed();
        return !t.isEmpty() && !t.startsWith(u'#') && t != u"---";
    }
};

QList<Line> splitLines(const QString &text)
{
    QList<Line> lines;
    int start = 0;
    while (start <= text.size()) {
        int end = text.indexOf(u'\n', start);
        if (end < 0)
            end = text.size();
        lines.append({start, QStringView(text).mid(start, end - start)});
        start = end + 1;
    }
    return lines;
}

// The key a line at `indent` starts with, and what follows its colon; nullopt when not a key.
struct KeyLine
{
    QString key;
    QStringView rest;
};
std::optional<KeyLine> keyAt(QStringView line, int indent)
{
    QStringView t = line.mid(indent);
    if (t.isEmpty() || t.startsWith(u"- ") || t == u"-")
        return std::nullopt;
    QString key;
    qsizetype colon = -1;
    if (t.front() == u'\'' || t.front() == u'"') {
        const QChar q = t.front();
        qsizetype i = 1;
        for (; i < t.size(); ++i) {
            if (t[i] == u'\\' && q == u'"') {
                key += t.mid(i + 1, 1);
                ++i;
            } else if (t[i] == q) {
                if (q == u'\'' && i + 1 < t.size() && t[i + 1] == u'\'') {
                    key += q;
                    ++i;
                } else {
                    break;
                }
            } else {
                key += t[i];
            }
        }
        colon = t.indexOf(u':', i);
    } else {
        for (qsizetype i = 0; i < t.size(); ++i) {
            if (t[i] == u':' && (i + 1 == t.size() || t[i + 1] == u' ')) {
                colon = i;
                break;
            }
        }
        if (colon > 0)
            key = t.left(colon).trimmed().toString();
    }
    if (colon < 0)
        return std::nullopt;
    return KeyLine{key, t.mid(colon + 1)};
}

bool restIsEmpty(QStringView rest)
{
    const QStringView r = rest.trimmed();
    return r.isEmpty() || r.startsWith(u'#');
}

// A block mapping: its member lines are [first, last) at `indent`.
struct Block
{
    int first = 0;
    int last = 0;
    int indent = 0;
};

// Where the value of the key on line `keyLine` (at `keyIndent`) ends: the next content line that
// is not deeper, except a "- " item at the key's own indent (YAML allows that for sequences).
// Trailing blank and comment lines belong to what follows.
int valueEnd(const QList<Line> &lines, int keyLine, int keyIndent, int limit)
{
    int end = keyLine + 1;
    for (int i = keyLine + 1; i < limit; ++i) {
        const Line &l = lines[i];
        if (!l.isContent())
            continue;
        const int indent = l.indent();
        if (indent < keyIndent
            || (indent == keyIndent && !l.text.mid(indent).startsWith(u'-')))
            break;
        end = i + 1;
    }
    return end;
}

int firstContentIndent(const QList<Line> &lines, int first, int last, int fallback)
{
    for (int i = first; i < last; ++i) {
        if (lines[i].isContent())
            return lines[i].indent();
    }
    return fallback;
}

int findKey(const QList<Line> &lines, const Block &block, const QString &key)
{
    for (int i = block.first; i < block.last; ++i) {
        if (!lines[i].isContent() || lines[i].indent() != block.indent)
            continue;
        if (const auto k = keyAt(lines[i].text, block.indent); k && k->key == key)
            return i;
    }
    return -1;
}

QString detectUnit(const QList<Line> &lines)
{
    for (const Line &l : lines) {
        if (l.isContent() && l.indent() > 0)
            return QString(qMin(l.indent(), 8), u' ');
    }
    return QStringLiteral("  ");
}

std::optional<TextChange> yamlChange(const QString &text, const QStringList &owner,
                                     const QString &key, const QJsonValue &value, QString *error)
{
    const QList<Line> lines = splitLines(text);
    const int count = int(lines.size());
    const QString unit = detectUnit(lines);
    Block block{0, count, firstContentIndent(lines, 0, count, 0)};
    for (const QString &segment : owner) {
        const int at = findKey(lines, block, segment);
        if (at < 0) {
            if (error)
                *error = MemberEditText::tr("'%1' is not in the document").arg(segment);
            return std::nullopt;
        }
        if (!restIsEmpty(keyAt(lines[at].text, block.indent)->rest)) {
            if (error)
                *error = MemberEditText::tr("'%1' is written on one line; edit it in the text").arg(segment);
            return std::nullopt;
        }
        const int end = valueEnd(lines, at, block.indent, block.last);
        block = {at + 1, end, firstContentIndent(lines, at + 1, end, block.indent + int(unit.size()))};
    }
    const QString indent(block.indent, u' ');
    const bool remove = value.isUndefined();
    const QStringList rendered = remove ? QStringList() : yamlMember(key, value, indent, unit);
    auto replaceLines = [&](int first, int last, const QStringList &with) {
        // Lines [first, last) become `with`, each ending with a line break.
        QString inserted;
        for (const QString &l : with)
            inserted += l + u'\n';
        if (last < count)
            return TextChange{lines[first].start, lines[last].start - lines[first].start, inserted};
        // Up to the end of a text whose last line has no line break of its own.
        const int size = int(text.size());
        if (first < count) {
            inserted.chop(inserted.isEmpty() ? 0 : 1);
            return TextChange{lines[first].start, size - lines[first].start, inserted};
        }
        inserted.chop(1);
        return TextChange{size, 0, u'\n' + inserted};
    };

    if (const int at = findKey(lines, block, key); at >= 0) {
        const int end = valueEnd(lines, at, block.indent, block.last);
        return replaceLines(at, end, rendered);
    }
    if (remove)
        return TextChange{};
    // After the last extension, else before paths: at the root, else at the end of the owner.
    int insertAt = -1;
    for (int i = block.first; i < block.last; ++i) {
        if (lines[i].isContent() && lines[i].indent() == block.indent) {
            if (const auto k = keyAt(lines[i].text, block.indent); k && k->key.startsWith(u"x-"))
                insertAt = valueEnd(lines, i, block.indent, block.last);
        }
    }
    QStringList with = rendered;
    if (insertAt < 0 && owner.isEmpty()) {
        if (const int paths = findKey(lines, block, QStringLiteral("paths")); paths >= 0) {
            insertAt = paths;
            // Keep the blank line that separated paths: from what came before.
            if (paths > 0 && lines[paths - 1].text.trimmed().isEmpty())
                with.append(QString());
        }
    }
    if (insertAt < 0) {   // after the owner's last line that says something
        insertAt = block.first;
        for (int i = block.first; i < block.last; ++i) {
            if (lines[i].isContent())
                insertAt = i + 1;
        }
    }
    if (insertAt == count && count > 0 && lines[count - 1].text.isEmpty())
        insertAt = count - 1;   // before the empty "line" after the final line break
    return replaceLines(insertAt, insertAt, with);
}

// ---- JSON -----------------------------------------------------------------------------------------

struct JsonMember
{
    QString key;
    int keyStart = 0;
    int valueStart = 0;
    int valueEnd = 0;
};

class JsonScanner
{
public:
    explicit JsonScanner(const QString &text) : m_text(text) {}

    int skipSpace(int i) const
    {
        while (i < m_text.size() && m_text[i].isSpace())
            ++i;
        return i;
    }
    // Past the closing quote of the string starting at i; the decoded string into *out.
    int skipString(int i, QString *out = nullptr) const
    {
        int j = i + 1;
        while (j < m_text.size() && m_text[j] != u'"')
            j += m_text[j] == u'\\' ? 2 : 1;
        if (out) {
            const QByteArray raw = u'[' + m_text.mid(i, j + 1 - i).toUtf8() + u']';
            *out = QJsonDocument::fromJson(raw).array().at(0).toString();
        }
        return qMin(j + 1, int(m_text.size()));
    }
    int skipValue(int i) const
    {
        i = skipSpace(i);
        if (i >= m_text.size())
            return i;
        if (m_text[i] == u'"')
            return skipString(i);
        if (m_text[i] == u'{' || m_text[i] == u'[') {
            int depth = 0;
            while (i < m_text.size()) {
                const QChar c = m_text[i];
                if (c == u'"') {
                    i = skipString(i);
                    continue;
                }
                if (c == u'{' || c == u'[')
                    ++depth;
                else if ((c == u'}' || c == u']') && --depth == 0)
                    return i + 1;
                ++i;
            }
            return i;
        }
        while (i < m_text.size() && !m_text[i].isSpace() && m_text[i] != u','
               && m_text[i] != u'}' && m_text[i] != u']')
            ++i;
        return i;
    }
    // The members of the object whose '{' is at `open`; *close gets the position of its '}'.
    QList<JsonMember> members(int open, int *close) const
    {
        QList<JsonMember> out;
        int i = skipSpace(open + 1);
        while (i < m_text.size() && m_text[i] == u'"') {
            JsonMember m;
            m.keyStart = i;
            i = skipSpace(skipString(i, &m.key));
            if (i >= m_text.size() || m_text[i] != u':')
                break;
            m.valueStart = skipSpace(i + 1);
            m.valueEnd = skipValue(m.valueStart);
            out.append(m);
            i = skipSpace(m.valueEnd);
            if (i < m_text.size() && m_text[i] == u',')
                i = skipSpace(i + 1);
        }
        *close = i;
        return out;
    }
    // The whitespace before position i on its line, or nullopt when other text precedes it.
    std::optional<QString> lineIndent(int i) const
    {
        int j = i;
        while (j > 0 && m_text[j - 1] != u'\n') {
            if (!m_text[j - 1].isSpace())
                return std::nullopt;
            --j;
        }
        return m_text.mid(j, i - j);
    }

private:
    const QString &m_text;
};

QString jsonScalar(const QJsonValue &v)
{
    QString s = QString::fromUtf8(QJsonDocument(QJsonArray{v}).toJson(QJsonDocument::Compact));
    return s.mid(1, s.size() - 2);
}

QString jsonValue(const QJsonValue &value, const QString &indent, const QString &unit)
{
    if (isScalar(value))
        return jsonScalar(value);
    if (value.isArray() && allScalars(value.toArray())) {
        QStringList items;
        for (const QJsonValue &v : value.toArray())
            items.append(jsonScalar(v));
        return u'[' + items.join(QStringLiteral(", ")) + u']';
    }
    const QString inner = indent + unit;
    QStringList items;
    if (value.isObject()) {
        const QJsonObject o = value.toObject();
        if (o.isEmpty())
            return QStringLiteral("{}");
        for (auto it = o.begin(); it != o.end(); ++it)
            items.append(inner + jsonScalar(it.key()) + QStringLiteral(": ")
                         + jsonValue(it.value(), inner, unit));
        return QStringLiteral("{\n") + items.join(QStringLiteral(",\n")) + u'\n' + indent + u'}';
    }
    for (const QJsonValue &v : value.toArray())
        items.append(inner + jsonValue(v, inner, unit));
    return QStringLiteral("[\n") + items.join(QStringLiteral(",\n")) + u'\n' + indent + u']';
}

std::optional<TextChange> jsonChange(const QString &text, const QStringList &owner,
                                     const QString &key, const QJsonValue &value, QString *error)
{
    const JsonScanner scan(text);
    int open = scan.skipSpace(0);
    if (open >= text.size() || text[open] != u'{') {
        if (error)
            *error = MemberEditText::tr("the document is not a JSON object");
        return std::nullopt;
    }
    QString unit = QStringLiteral("    ");   // what the root's members are indented by, else four
    {
        int close = 0;
        if (const QList<JsonMember> top = scan.members(open, &close); !top.isEmpty()) {
            if (const auto first = scan.lineIndent(top.first().keyStart); first && !first->isEmpty())
                unit = *first;
        }
    }
    QString ownerIndent;
    for (const QString &segment : owner) {
        int close = 0;
        const QList<JsonMember> members = scan.members(open, &close);
        auto it = std::find_if(members.begin(), members.end(),
                               [&](const JsonMember &m) { return m.key == segment; });
        if (it == members.end() || text[it->valueStart] != u'{') {
            if (error)
                *error = MemberEditText::tr("'%1' is not in the document").arg(segment);
            return std::nullopt;
        }
        ownerIndent = scan.lineIndent(it->keyStart).value_or(ownerIndent);
        open = it->valueStart;
    }
    int close = 0;
    const QList<JsonMember> members = scan.members(open, &close);
    std::optional<QString> memberIndent;
    if (!members.isEmpty()) {
        memberIndent = scan.lineIndent(members.first().keyStart);
        if (memberIndent && memberIndent->size() > ownerIndent.size())
            unit = memberIndent->mid(ownerIndent.size());
    }
    const QString indent = memberIndent.value_or(ownerIndent + unit);
    const bool remove = value.isUndefined();
    // A document written on one line stays on one line.
    const QString renderedValue = remove ? QString()
                                  : memberIndent || members.isEmpty() ? jsonValue(value, indent, unit)
                                                                       : jsonScalar(value);
    const QString rendered = jsonScalar(key) + QStringLiteral(": ") + renderedValue;

    for (qsizetype i = 0; i < members.size(); ++i) {
        const JsonMember &m = members[i];
        if (m.key != key)
            continue;
        if (!remove)
            return TextChange{m.valueStart, m.valueEnd - m.valueStart, renderedValue};
        if (i > 0)   // from the end of the previous member: its comma goes with this one
            return TextChange{members[i - 1].valueEnd, m.valueEnd - members[i - 1].valueEnd, {}};
        if (members.size() > 1)
            return TextChange{m.keyStart, members[1].keyStart - m.keyStart, {}};
        const int from = open + 1;
        return TextChange{from, close - from, {}};
    }
    if (remove)
        return TextChange{};
    if (members.isEmpty()) {
        const int from = open + 1;
        return TextChange{from, close - from,
                          u'\n' + indent + rendered + u'\n' + ownerIndent};
    }
    const JsonMember *after = &members.last();
    for (const JsonMember &m : members) {
        if (m.key.startsWith(u"x-"))
            after = &m;
    }
    const QString separator = memberIndent ? QStringLiteral(",\n") + indent : QStringLiteral(", ");
    return TextChange{after->valueEnd, 0, separator + rendered};
}

} // namespace

std::optional<TextChange> memberChange(const QString &text, const QStringList &owner,
                                       const QString &key, const QJsonValue &value, QString *error)
{
    return detectTextSyntax(text) == TextSyntax::Json ? jsonChange(text, owner, key, value, error)
                                                      : yamlChange(text, owner, key, value, error);
}

} // namespace Gatehouse
