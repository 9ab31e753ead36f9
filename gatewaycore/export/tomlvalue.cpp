// TomlValue's accessors and the reading of bare TOML values (numbers, date-times).
#include "tomldocument.h"

#include <QRegularExpression>

namespace Gatehouse {

const TomlValue *TomlValue::find(const QString &key) const
{
    if (kind != Kind::Table)
        return nullptr;
    const qsizetype i = keys.indexOf(key);
    return i < 0 ? nullptr : &items[size_t(i)];
}

const TomlValue *TomlValue::path(const QStringList &names) const
{
    const TomlValue *v = this;
    for (const QString &name : names) {
        v = v->find(name);
        if (!v)
            return nullptr;
    }
    return v;
}

QString TomlValue::kindName() const
{
    switch (kind) {
    case Kind::String: return QStringLiteral("string");
    case Kind::Integer: return QStringLiteral("integer");
    case Kind::Float: return QStringLiteral("number");
    case Kind::Boolean: return QStringLiteral("boolean");
    case Kind::DateTime: return QStringLiteral("date-time");
    case Kind::Array: return QStringLiteral("array");
    case Kind::Table: return QStringLiteral("table");
    }
    return {};
}

QString parseTomlScalar(const QString &word, TomlValue &v)
{
    auto bad = [&](const QString &why) {
        return why.isEmpty() ? QStringLiteral("'%1' is not a TOML value (strings need quotes: \"%1\")").arg(word)
                             : why;
    };
    static const QRegularExpression dateTime(
        QStringLiteral("^(\\d{4}-\\d{2}-\\d{2}([Tt ]\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?([Zz]|[+-]\\d{2}:\\d{2})?)?"
                       "|\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?)$"));
    if (dateTime.match(word).hasMatch()) {
        v.kind = TomlValue::Kind::DateTime;
        v.text = word;
        return {};
    }
    static const QRegularExpression special(QStringLiteral("^[+-]?(inf|nan)$"));
    if (special.match(word).hasMatch()) {
        v.kind = TomlValue::Kind::Float;
        v.number = word.endsWith(u"nan") ? qQNaN() : (word.startsWith(u'-') ? -qInf() : qInf());
        return {};
    }
    static const QRegularExpression underscores(QStringLiteral("(^[+-]?_|_$|__|_[.eE]|[.eE]_)"));
    if (underscores.match(word).hasMatch())
        return bad(QStringLiteral("'%1': an underscore in a number must sit between two digits").arg(word));
    QString digits = word;
    digits.remove(u'_');
    static const QRegularExpression prefixed(QStringLiteral("^0([xob])([0-9A-Fa-f]+)$"));
    if (const QRegularExpressionMatch m = prefixed.match(digits); m.hasMatch()) {
        const int base = m.captured(1) == u"x" ? 16 : (m.captured(1) == u"o" ? 8 : 2);
        bool ok = false;
        v.integer = m.captured(2).toLongLong(&ok, base);
        if (!ok)
            return bad(QStringLiteral("'%1' is not a valid base-%2 integer").arg(word).arg(base));
        v.kind = TomlValue::Kind::Integer;
        return {};
    }
    static const QRegularExpression integer(QStringLiteral("^[+-]?(0|[1-9][0-9]*)$"));
    static const QRegularExpression floating(
        QStringLiteral("^[+-]?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?$"));
    if (integer.match(digits).hasMatch()) {
        bool ok = false;
        v.integer = digits.toLongLong(&ok);
        if (!ok)
            return bad(QStringLiteral("the integer %1 does not fit in 64 bits").arg(word));
        v.kind = TomlValue::Kind::Integer;
        return {};
    }
    if (floating.match(digits).hasMatch()) {
        bool ok = false;
        v.number = digits.toDouble(&ok);
        if (!ok)
            return bad({});
        v.kind = TomlValue::Kind::Float;
        return {};
    }
    return bad({});
}

} // namespace Gatehouse
