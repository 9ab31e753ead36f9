// Resolves a gatehouse.yaml secret (literal, ${env:NAME}, ${file:path}) to its bytes at start.
#include "secretresolver.h"

#include "base/readfile.h"

#include <QDir>

namespace Gatehouse {

namespace {

constexpr qint64 kMaxSecretFileBytes = 1024 * 1024;

} // namespace

Result<QByteArray> resolveSecret(const SecretRef &secret, const QString &projectDir)
{
    if (!secret.literal.isEmpty())
        return secret.literal.toUtf8();
    if (!secret.envName.isEmpty()) {
        const QByteArray name = secret.envName.toLocal8Bit();
        if (!qEnvironmentVariableIsSet(name.constData()))
            return Error::config(QStringLiteral("environment variable %1 is not set").arg(secret.envName));
        return qgetenv(name.constData());
    }
    if (!secret.filePath.isEmpty()) {
        const QString path = QDir(projectDir).absoluteFilePath(secret.filePath);
        auto read = readSmallFile(path, kMaxSecretFileBytes);
        if (!read)
            return Error::io(QStringLiteral("secret file: %1").arg(read.error().message));
        QByteArray bytes = std::move(*read);
        if (bytes.endsWith("\r\n"))
            bytes.chop(2);
        else if (bytes.endsWith('\n'))
            bytes.chop(1);
        return bytes;
    }
    return QByteArray();
}

} // namespace Gatehouse
