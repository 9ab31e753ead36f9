// Gateway options in .proto text: a small lexer (comments and strings skipped), the service/rpc
// block structure, option statements and the top-level fields of their aggregate values, and the
// minimal replacements that change one field.
#include "protooptiontext.h"

#include "prototextscanner.h"

#include <QCoreApplication>

#include <algorithm>
#include <optional>

namespace Gatehouse {

namespace {

using namespace ProtoText;

const char *gatehouseOption(ProtoOptionField field)
{
    return field == ProtoOptionField::ServiceSecurity || field == ProtoOptionField::ServiceTier
               ? "gatehouse.service"
               : "gatehouse.method";
}

const char *fieldName(ProtoOptionField field)
{
    switch (field) {
    case ProtoOptionField::ServiceSecurity: return "security";
    case ProtoOptionField::MethodScopes: return "scopes";
    case ProtoOptionField::ServiceTier:
    case ProtoOptionField::MethodTier: break;
    }
    return "throttling_tier";
}

const char *wso2Option(ProtoOptionField field)
{
    switch (field) {
    case ProtoOptionField::ServiceSecurity: return "wso2.security";
    case ProtoOptionField::ServiceTier: return "wso2.throttling_tier";
    case ProtoOptionField::MethodScopes: return "wso2.method_scopes";
    case ProtoOptionField::MethodTier: break;
    }
    return "wso2.method_throttling_tier";
}

QString quoted(const QString &value)
{
    QString out = QStringLiteral("\"");
    for (const QChar c : value) {
        if (c == u'"' || c == u'\\')
            out += u'\\';
        if (c == u'\n')
            out += QStringLiteral("\\n");
        else
            out += c;
    }
    return out + u'"';
}

// The start of the line holding `pos`, and its leading whitespace.
qsizetype lineStart(const QString &text, qsizetype pos)
{
    return text.lastIndexOf(u'\n', pos - 1) + 1;
}

QString indentAt(const QString &text, qsizetype pos)
{
    const qsizetype start = lineStart(text, pos);
    qsizetype i = start;
    while (i < text.size() && (text[i] == u' ' || text[i] == u'\t'))
        ++i;
    return text.mid(start, i - start);
}

bool onSameLine(const QString &text, qsizetype a, qsizetype b)
{
    return !QStringView(text).mid(a, b - a).contains(u'\n');
}

// Removes begin..end: the whole line when nothing else is on it, else with the spaces on one side.
TextReplacement removal(const QString &text, qsizetype begin, qsizetype end)
{
    const qsizetype start = lineStart(text, begin);
    qsizetype stop = end;
    while (stop < text.size() && (text[stop] == u' ' || text[stop] == u'\t'))
        ++stop;
    const bool aloneBefore = QStringView(text).mid(start, begin - start).trimmed().isEmpty();
    if (aloneBefore && (stop == text.size() || text[stop] == u'\n'))
        return {start, qMin(stop + 1, text.size()) - start, {}};
    if (stop < text.size() && stop > end && text[stop] != u'\n' && text[stop] != u'}'
        && text[stop] != u']' && text[stop] != u'>')
        return {begin, stop - begin, {}};
    qsizetype from = begin;
    while (from > start && (text[from - 1] == u' ' || text[from - 1] == u'\t'))
        --from;
    return {from, end - from, {}};
}

Result<QString> valueText(ProtoOptionField field, const QStringList &values)
{
    static const QStringList kSchemes = {QStringLiteral("NONE"), QStringLiteral("JWT"),
                                         QStringLiteral("OAUTH2"), QStringLiteral("APIKEY"),
                                         QStringLiteral("BASIC")};
    QStringList items;
    for (const QString &raw : values) {
        const QString value = raw.trimmed();
        if (value.isEmpty())
            continue;
        if (field == ProtoOptionField::ServiceSecurity) {
            if (!kSchemes.contains(value.toUpper()))
                return Error::config(QCoreApplication::translate("Gatehouse::ProtoOptionText", "unknown security scheme '%1' (known: %2)")
                                         .arg(value, kSchemes.join(QStringLiteral(", "))));
            items << value.toUpper();
        } else {
            if (field == ProtoOptionField::MethodScopes && value.contains(QChar(u' ')))
                return Error::config(QCoreApplication::translate("Gatehouse::ProtoOptionText", "a scope cannot contain spaces: '%1'").arg(value));
            items << quoted(value);
        }
    }
    if ((field == ProtoOptionField::ServiceTier || field == ProtoOptionField::MethodTier)
        && items.size() > 1)
        return Error::config(QCoreApplication::translate("Gatehouse::ProtoOptionText", "a throttling tier is one name"));
    if (items.size() <= 1)
        return items.value(0);
    return u'[' + items.join(QStringLiteral(", ")) + u']';
}

} // namespace

QString protoOptionValueText(ProtoOptionField field, const QStringList &values)
{
    const auto text = valueText(field, values);
    return text ? *text : QString();
}

QString applyReplacements(QString text, const QList<TextReplacement> &replacements)
{
    for (auto it = replacements.crbegin(); it != replacements.crend(); ++it)
        text.replace(it->position, it->length, it->text);
    return text;
}

Result<QList<TextReplacement>> protoOptionReplacements(const QString &text,
                                                       const ProtoOptionTarget &target,
                                                       ProtoOptionField field,
                                                       const QStringList &values)
{
    const auto lexed = tokenize(text);
    if (!lexed)
        return lexed.error();
    const QList<Token> &tokens = *lexed;
    const Scanner scan(text, tokens);
    auto pos = [&](int i) { return tokens[i].begin; };
    auto end = [&](int i) { return tokens[i].end; };

    // package, imports and the service, at the top level.
    QString package;
    int packageEnd = -1, syntaxEnd = -1, lastImportEnd = -1;
    bool importsOptions = false;
    int serviceOpen = -1, serviceFirst = -1, matches = 0;
    QList<QPair<QString, int>> services;   // name, '{'
    for (int i = 0; i < scan.count();) {
        if (scan.is(i, u"service") && i + 2 < scan.count() && scan.is(i + 2, u"{")) {
            services.append({scan.at(i + 1).toString(), i + 2});
            const int close = scan.matching(i + 2);
            if (close < 0)
                return Error::config(QCoreApplication::translate("Gatehouse::ProtoOptionText", "service %1 has no closing brace").arg(scan.at(i + 1)));
            i = close + 1;
            continue;
        }
        const int stmtEnd = scan.statementEnd(i, scan.count());
        if (stmtEnd < 0)
            return Error::config(QCoreApplication::translate("Gatehouse::ProtoOptionText", "the file has unbalanced brackets"));
        if (scan.is(i, u"package")) {
            for (int k = i + 1; k < stmtEnd; ++k)
                package += scan.at(k);
            packageEnd = stmtEnd;
        } else if (scan.is(i, u"syntax") || scan.is(i, u"edition")) {
            syntaxEnd = stmtEnd;
        } else if (scan.is(i, u"import")) {
            lastImportEnd = stmtEnd;
            for (int k = i + 1; k < stmtEnd; ++k)
                if (tokens[k].kind == Tok::String
                    && scan.at(k).mid(1, scan.at(k).size() - 2) == u"gatehouse/options.proto")
                    importsOptions = true;
        }
        i = stmtEnd + 1;
    }
    for (const auto &[name, open] : std::as_const(services)) {
        const QString full = package.isEmpty() ? name : package + u'.' + name;
        if (full == target.service || name == target.service) {
            ++matches;
            serviceOpen = open;
            serviceFirst = open - 2;
        }
    }
    if (matches == 0)
        return Error::config(QCoreApplication::translate("Gatehouse::ProtoOptionText", "the file declares no service %1").arg(target.service));
    if (matches > 1)
        return Error::config(QCoreApplication::translate("Gatehouse::ProtoOptionText", "the file declares service %1 more than once").arg(target.service));
    const int serviceClose = scan.matching(serviceOpen);

    const bool forMethod = field == ProtoOptionField::MethodScopes
                           || field == ProtoOptionField::MethodTier;
    int blockOpen = serviceOpen, blockClose = serviceClose;
    std::optional<RpcDecl> rpc;
    if (forMethod) {
        for (int i = serviceOpen + 1; i < serviceClose;) {
            const int stmtEnd = scan.statementEnd(i, serviceClose);
            if (stmtEnd < 0)
                return Error::config(QCoreApplication::translate("Gatehouse::ProtoOptionText", "service %1 has unbalanced brackets").arg(target.service));
            if (scan.is(i, u"rpc") && scan.is(i + 1, target.method)) {
                RpcDecl d;
                d.name = target.method;
                d.first = i;
                d.bodyClose = stmtEnd;
                if (scan.at(stmtEnd) == u"}") {   // the first '{' after `rpc` opens the body
                    int open = i;
                    while (!scan.is(open, u"{"))
                        ++open;
                    d.bodyOpen = open;
                }
                d.signatureEnd = (d.bodyOpen >= 0 ? d.bodyOpen : stmtEnd) - 1;
                rpc = d;
                break;
            }
            i = stmtEnd + 1;
        }
        if (!rpc)
            return Error::config(QCoreApplication::translate("Gatehouse::ProtoOptionText", "service %1 has no method %2").arg(target.service, target.method));
        blockOpen = rpc->bodyOpen;
        blockClose = rpc->bodyOpen >= 0 ? rpc->bodyClose : -1;
    }

    const auto value = valueText(field, values);
    if (!value)
        return value.error();
    const bool set = !value->isEmpty();
    const QString option = QString::fromLatin1(gatehouseOption(field));
    const QString name = QString::fromLatin1(fieldName(field));
    const QString fieldText = name + QStringLiteral(": ") + *value;

    QList<TextReplacement> out;
    const QList<OptionStatement> statements
        = blockOpen >= 0 ? scan.options(blockOpen, blockClose) : QList<OptionStatement>();
    std::optional<OptionStatement> aggregate;   // the first (gatehouse.x) = {...} statement
    bool written = false;
    int removedStatements = 0;
    for (const OptionStatement &s : statements) {
        if (s.name == QLatin1String(wso2Option(field)) && s.subField.isEmpty()) {
            out << removal(text, pos(s.first), end(s.last));
            ++removedStatements;
        } else if (s.name == option && s.subField == name) {
            // `option (gatehouse.method).scopes = ...;`: the first becomes the aggregate form.
            if (set && !written && !aggregate) {
                out << TextReplacement{pos(s.first), end(s.last) - pos(s.first),
                                       QStringLiteral("option (%1) = { %2 };").arg(option, fieldText)};
                written = true;
            } else {
                out << removal(text, pos(s.first), end(s.last));
                ++removedStatements;
            }
        } else if (s.name == option && s.subField.isEmpty() && s.valueOpen >= 0) {
            const QList<AggregateField> fields = scan.fields(s.valueOpen, s.valueClose);
            QList<TextReplacement> fieldEdits;
            int kept = 0;
            for (const AggregateField &f : fields) {
                if (f.name != name) {
                    ++kept;
                    continue;
                }
                if (set && !written) {
                    fieldEdits << TextReplacement{pos(f.first), end(f.last) - pos(f.first), fieldText};
                    written = true;
                    ++kept;
                } else {
                    fieldEdits << removal(text, pos(f.first), end(f.separator >= 0 ? f.separator : f.last));
                }
            }
            if (kept == 0 && !fields.isEmpty()) {   // nothing left in it: the statement goes
                out << removal(text, pos(s.first), end(s.last));
                ++removedStatements;
                continue;
            }
            out << fieldEdits;
            if (!aggregate)
                aggregate = s;
            if (set && !written && aggregate->first == s.first) {
                const int open = s.valueOpen, close = s.valueClose;
                if (fields.isEmpty()) {
                    out << TextReplacement{end(open), pos(close) - end(open), u' ' + fieldText + u' '};
                } else if (onSameLine(text, pos(open), pos(close))
                           || !QStringView(text)
                                   .mid(lineStart(text, pos(close)),
                                        pos(close) - lineStart(text, pos(close)))
                                   .trimmed()
                                   .isEmpty()) {
                    const AggregateField &lastField = fields.last();
                    const bool commas = std::any_of(fields.cbegin(), fields.cend(), [&](const AggregateField &f) {
                        return f.separator >= 0 && scan.at(f.separator) == u",";
                    });
                    out << TextReplacement{end(lastField.last),
                                           0,
                                           (commas && lastField.separator < 0 ? QStringLiteral(", ")
                                                                             : QStringLiteral(" "))
                                               + fieldText};
                } else {
                    const QString indent = indentAt(text, pos(fields.last().first));
                    out << TextReplacement{lineStart(text, pos(close)), 0, indent + fieldText + u'\n'};
                }
                written = true;
            }
        }
    }

    if (set && !written) {
        // A new statement in the block (a method without a body gets one).
        const QString statement = QStringLiteral("option (%1) = { %2 };").arg(option, fieldText);
        const QString outer = indentAt(text, pos(forMethod ? rpc->first : serviceFirst));
        QString unit = QStringLiteral("  ");
        if (forMethod) {
            const QString serviceIndent = indentAt(text, pos(serviceFirst));
            if (outer.size() > serviceIndent.size() && outer.startsWith(serviceIndent))
                unit = outer.mid(serviceIndent.size());
        } else if (serviceOpen + 1 < serviceClose && !onSameLine(text, pos(serviceOpen), pos(serviceOpen + 1))) {
            const QString inner = indentAt(text, pos(serviceOpen + 1));
            if (inner.size() > outer.size() && inner.startsWith(outer))
                unit = inner.mid(outer.size());
        }
        const QString inner = outer + unit;
        if (forMethod && blockOpen < 0) {
            out << TextReplacement{end(rpc->signatureEnd), end(rpc->bodyClose) - end(rpc->signatureEnd),
                                   QStringLiteral(" {\n%1%2\n%3}").arg(inner, statement, outer)};
        } else if (blockOpen + 1 == blockClose && onSameLine(text, pos(blockOpen), pos(blockClose))) {
            out << TextReplacement{end(blockOpen), pos(blockClose) - end(blockOpen),
                                   QStringLiteral("\n%1%2\n%3").arg(inner, statement, outer)};
        } else if (onSameLine(text, pos(blockOpen), pos(blockOpen + 1))) {
            out << TextReplacement{end(blockOpen), 0, u' ' + statement};
        } else {
            qsizetype eol = text.indexOf(u'\n', end(blockOpen));
            if (eol < 0)
                eol = text.size();
            out << TextReplacement{eol, 0, u'\n' + inner + statement};
        }
    } else if (forMethod && blockOpen >= 0 && removedStatements > 0
               && removedStatements == int(statements.size())) {
        // The method's body held only what was removed: `rpc A(B) returns (C);` again, unless
        // something else (a comment) is in there.
        bool onlyRemoved = true;
        QString rest = text.mid(end(blockOpen), pos(blockClose) - end(blockOpen));
        for (const OptionStatement &s : statements)
            rest.replace(text.mid(pos(s.first), end(s.last) - pos(s.first)), QString());
        onlyRemoved = rest.trimmed().isEmpty();
        if (onlyRemoved) {
            out.clear();
            out << TextReplacement{end(rpc->signatureEnd), end(blockClose) - end(rpc->signatureEnd),
                                   QStringLiteral(";")};
        }
    }

    if (set && !importsOptions) {
        const QString import = QStringLiteral("import \"gatehouse/options.proto\";");
        const int after = lastImportEnd >= 0 ? lastImportEnd : packageEnd >= 0 ? packageEnd : syntaxEnd;
        if (after < 0) {
            out << TextReplacement{0, 0, import + QStringLiteral("\n\n")};
        } else {
            qsizetype eol = text.indexOf(u'\n', end(after));
            if (eol < 0)
                eol = text.size();
            out << TextReplacement{eol, 0, (lastImportEnd >= 0 ? QStringLiteral("\n") : QStringLiteral("\n\n")) + import};
        }
    }

    std::sort(out.begin(), out.end(), [](const TextReplacement &a, const TextReplacement &b) {
        return a.position < b.position || (a.position == b.position && a.length < b.length);
    });
    // Removals of neighbours can share the spaces between them: merge what overlaps.
    QList<TextReplacement> merged;
    for (const TextReplacement &r : std::as_const(out)) {
        if (!merged.isEmpty() && r.position < merged.last().position + merged.last().length) {
            TextReplacement &previous = merged.last();
            const qsizetype stop = qMax(previous.position + previous.length, r.position + r.length);
            previous.text += r.text;
            previous.length = stop - previous.position;
        } else {
            merged << r;
        }
    }
    return merged;
}

} // namespace Gatehouse
