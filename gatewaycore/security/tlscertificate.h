// Server TLS material: a self-signed certificate generated on first run, and loading the
// listener's QSslConfiguration from PEM files.
#pragma once

#include "base/result.h"
#include "project/projectsettings.h"

#include <QSslConfiguration>
#include <QString>

namespace Gatehouse {

// When neither file exists, generates an EC P-256 key (written 0600) and a self-signed certificate
// for localhost, 127.0.0.1 and ::1, valid for 825 days. Existing files are left alone; only one of
// the two existing is an error (a key without its certificate or the reverse).
Result<void> ensureSelfSignedCertificate(const QString &certificateFile, const QString &privateKeyFile);

// As OpenSSH does for identity files: a private key file that belongs to this process's user and
// that its group or others may access (any of the 077 bits) is refused with an error naming the
// mode and the chmod that fixes it. Files of another owner (a root-owned Kubernetes secret read by
// the gateway's user) are left to the file system's own checks.
Result<void> checkPrivateFilePermissions(const QString &path);

// The largest PEM private key file read (an RSA 16384 key is about 13 KiB).
constexpr qint64 kMaxPrivateKeyFileBytes = 64 * 1024;

// The HTTPS listener configuration: certificate chain, key (refused when too open, see
// checkPrivateFilePermissions), client-certificate mode and CA, ALPN protocols. Paths are absolute.
Result<QSslConfiguration> serverTlsConfiguration(const QString &certificateFile,
                                                 const QString &privateKeyFile,
                                                 ClientCertMode clientCertificates,
                                                 const QString &clientCaFile,
                                                 const QStringList &alpn);

} // namespace Gatehouse
