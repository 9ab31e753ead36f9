// JWT registered-claim checks and claim mapping.
#include "jwtclaims.h"

#include <QJsonArray>

#include <cmath>

namespace Gatehouse {

namespace {

// A NumericDate: a JSON number of seconds (fractions allowed, truncated). False when not a number.
bool numericDate(const QJsonValue &v, qint64 &out)
{
    if (!v.isDouble())
        return false;
    const double d = v.toDouble();
    if (!std::isfinite(d) || d < 0 || d > 1e13)
        return false;
    out = qint64(d);
    return true;
}

QString stringClaim(const QJsonObject &claims, const QString &name)
{
    return name.isEmpty() ? QString() : claims.value(name).toString();
}

QStringList claimStrings(const QJsonValue &v)
{
    QStringList out;
    if (v.isString()) {
        out = v.toString().split(u' ', Qt::SkipEmptyParts);
    } else if (v.isArray()) {
        for (const QJsonValue &s : v.toArray()) {
            if (s.isString() && !s.toString().isEmpty())
                out.append(s.toString());
        }
    }
    return out;
}

} // namespace

QString humanDuration(qint64 seconds)
{
    seconds = qAbs(seconds);
    if (seconds < 120)
        return QStringLiteral("%1 s").arg(seconds);
    if (seconds < 2 * 3600)
        return QStringLiteral("%1 min").arg(seconds / 60);
    if (seconds < 2 * 86400)
        return QStringLiteral("%1 h").arg(seconds / 3600);
    return QStringLiteral("%1 days").arg(seconds / 86400);
}

QString checkClaims(const QJsonObject &claims, const ClaimRules &rules, qint64 now, VerifiedToken &out)
{
    const qint64 skew = rules.clockSkewSeconds;
    qint64 exp = 0;
    const QJsonValue expValue = claims.value(QLatin1StringView("exp"));
    if (expValue.isUndefined()) {
        if (rules.requireExp)
            return QStringLiteral("token has no expiry (exp), which issuer '%1' requires").arg(rules.issuerName);
    } else if (!numericDate(expValue, exp)) {
        return QStringLiteral("token exp is not a number of seconds");
    } else if (now > exp + skew) {
        out.expiresAt = exp;   // says when, to the explain view (TokenVerifier::verify)
        return QStringLiteral("token expired %1 ago").arg(humanDuration(now - exp));
    }
    qint64 nbf = 0;
    const QJsonValue nbfValue = claims.value(QLatin1StringView("nbf"));
    if (!nbfValue.isUndefined()) {
        if (!numericDate(nbfValue, nbf))
            return QStringLiteral("token nbf is not a number of seconds");
        if (now + skew < nbf)
            return QStringLiteral("token is not valid for another %1 (nbf)").arg(humanDuration(nbf - now));
    }
    qint64 iat = 0;
    const QJsonValue iatValue = claims.value(QLatin1StringView("iat"));
    if (!iatValue.isUndefined()) {
        if (!numericDate(iatValue, iat))
            return QStringLiteral("token iat is not a number of seconds");
        if (now + skew < iat)
            return QStringLiteral("token was issued %1 in the future (iat)").arg(humanDuration(iat - now));
    }
    if (!rules.audiences.isEmpty()) {
        const QJsonValue aud = claims.value(QLatin1StringView("aud"));
        const QStringList audiences = aud.isString() ? QStringList{aud.toString()} : claimStrings(aud.toArray());
        bool match = false;
        for (const QString &a : audiences)
            match = match || rules.audiences.contains(a);
        if (!match) {
            return QStringLiteral("token audience %1 is not accepted by issuer '%2' (expected %3)")
                .arg(audiences.isEmpty() ? QStringLiteral("(none)")
                                         : u'\'' + audiences.join(QStringLiteral("', '")).left(100) + u'\'',
                     rules.issuerName, u'\'' + rules.audiences.join(QStringLiteral("', '")) + u'\'');
        }
    }
    const QJsonValue sub = claims.value(rules.mapping.subject);
    if (!sub.isUndefined() && !sub.isString())
        return QStringLiteral("token subject (%1) is not a string").arg(rules.mapping.subject);

    out.issuer = rules.issuerName;
    out.subject = sub.toString();
    out.application = stringClaim(claims, rules.mapping.application);
    out.applicationTier = stringClaim(claims, rules.mapping.applicationTier);
    out.subscriptionTier = stringClaim(claims, rules.mapping.subscriptionTier);
    QJsonValue scopes = claims.value(rules.mapping.scopes);
    if (scopes.isUndefined() && rules.mapping.scopes == u"scope")
        scopes = claims.value(QLatin1StringView("scp"));   // Azure AD and Okta name it scp
    out.scopes = claimStrings(scopes);
    out.tokenId = claims.value(QLatin1StringView("jti")).toString();
    out.expiresAt = exp;
    out.allowedApis = claimStrings(claims.value(QLatin1StringView("allowedAPIs")).toArray());
    out.keyType = claims.value(QLatin1StringView("keytype")).toString();
    out.claims = claims;
    return {};
}

} // namespace Gatehouse
