/* ferry-sftp-packet.h: SFTP version 3 packets (draft-ietf-secsh-filexfer-02)
 * built and read without any I/O, so that the SFTP backend can keep many
 * requests in flight on one channel and a fuzzer can feed the reader any
 * bytes a hostile server might send.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The largest packet read: a READ answer is at most what was asked (32 KiB
 * here), a NAME answer a few KiB per hundred entries; OpenSSH's own limit is
 * 256 KiB. A length above this is a broken or hostile server. */
#define FERRY_SFTP_MAX_PACKET (256 * 1024 + 1024)
/* SFTP handles are at most 256 bytes (the draft's limit). */
#define FERRY_SFTP_MAX_HANDLE 256

typedef enum
{
  FERRY_SFTP_INIT = 1,
  FERRY_SFTP_VERSION = 2,
  FERRY_SFTP_OPEN = 3,
  FERRY_SFTP_CLOSE = 4,
  FERRY_SFTP_READ = 5,
  FERRY_SFTP_WRITE = 6,
  FERRY_SFTP_LSTAT = 7,
  FERRY_SFTP_FSTAT = 8,
  FERRY_SFTP_SETSTAT = 9,
  FERRY_SFTP_OPENDIR = 11,
  FERRY_SFTP_READDIR = 12,
  FERRY_SFTP_REMOVE = 13,
  FERRY_SFTP_MKDIR = 14,
  FERRY_SFTP_RMDIR = 15,
  FERRY_SFTP_REALPATH = 16,
  FERRY_SFTP_STAT = 17,
  FERRY_SFTP_RENAME = 18,
  FERRY_SFTP_READLINK = 19,
  FERRY_SFTP_STATUS = 101,
  FERRY_SFTP_HANDLE = 102,
  FERRY_SFTP_DATA = 103,
  FERRY_SFTP_NAME = 104,
  FERRY_SFTP_ATTRS = 105,
  FERRY_SFTP_EXTENDED = 200,
  FERRY_SFTP_EXTENDED_REPLY = 201,
} FerrySftpType;

typedef enum
{
  FERRY_SFTP_OK = 0,
  FERRY_SFTP_EOF = 1,
  FERRY_SFTP_NO_SUCH_FILE = 2,
  FERRY_SFTP_PERMISSION_DENIED = 3,
  FERRY_SFTP_FAILURE = 4,
  FERRY_SFTP_BAD_MESSAGE = 5,
  FERRY_SFTP_NO_CONNECTION = 6,
  FERRY_SFTP_CONNECTION_LOST = 7,
  FERRY_SFTP_OP_UNSUPPORTED = 8,
} FerrySftpStatus;

#define FERRY_SFTP_ATTR_SIZE        0x00000001u
#define FERRY_SFTP_ATTR_UIDGID      0x00000002u
#define FERRY_SFTP_ATTR_PERMISSIONS 0x00000004u
#define FERRY_SFTP_ATTR_ACMODTIME   0x00000008u
#define FERRY_SFTP_ATTR_EXTENDED    0x80000000u

#define FERRY_SFTP_OPEN_READ  0x00000001u
#define FERRY_SFTP_OPEN_WRITE 0x00000002u
#define FERRY_SFTP_OPEN_CREAT 0x00000008u
#define FERRY_SFTP_OPEN_TRUNC 0x00000010u

typedef struct
{
  guint32 flags;          /* FERRY_SFTP_ATTR_* present */
  guint64 size;
  guint32 permissions;    /* with the file type bits (S_IFDIR, ...) */
  guint32 atime;
  guint32 mtime;
} FerrySftpAttrs;

typedef struct
{
  char           *filename;  /* as sent, NUL-terminated (a NUL inside cuts it) */
  char           *longname;  /* "ls -l" line, control bytes as sent */
  FerrySftpAttrs  attrs;
} FerrySftpName;

/* One answer from the server, read whole. */
typedef struct
{
  guint8          type;       /* FerrySftpType */
  guint32         id;         /* 0 for VERSION */
  /* STATUS */
  guint32         status;
  char           *message;    /* control bytes already '?' */
  /* HANDLE */
  guint8          handle[FERRY_SFTP_MAX_HANDLE];
  gsize           handle_length;
  /* DATA: owned copy */
  guint8         *data;
  gsize           data_length;
  /* NAME: FerrySftpName*, freeing */
  GPtrArray      *names;
  /* ATTRS */
  FerrySftpAttrs  attrs;
  /* VERSION */
  guint32         version;
  gboolean        posix_rename;  /* posix-rename@openssh.com offered */
} FerrySftpReply;

/* The packet's length from the first 4 bytes of `data`, or -1 when fewer
 * are there yet; FALSE with an error when it is 0 or above
 * FERRY_SFTP_MAX_PACKET. */
gboolean        ferry_sftp_packet_length (const guint8  *data,
                                          gsize          available,
                                          gssize        *length,
                                          GError       **error);
/* Reads one packet's body (after its 4-byte length). */
FerrySftpReply *ferry_sftp_reply_parse   (const guint8  *body,
                                          gsize          length,
                                          GError       **error);
void            ferry_sftp_reply_free    (FerrySftpReply *reply);

/* Requests: begin, add fields, end (which writes the length). */
GByteArray     *ferry_sftp_request_begin (guint8         type,
                                          guint32        id);
void            ferry_sftp_put_u32       (GByteArray    *packet,
                                          guint32        value);
void            ferry_sftp_put_u64       (GByteArray    *packet,
                                          guint64        value);
void            ferry_sftp_put_string    (GByteArray    *packet,
                                          const void    *data,
                                          gsize          length);
void            ferry_sftp_put_str       (GByteArray    *packet,
                                          const char    *text);
void            ferry_sftp_put_attrs     (GByteArray    *packet,
                                          const FerrySftpAttrs *attrs);
void            ferry_sftp_request_end   (GByteArray    *packet);

void            ferry_sftp_name_free     (FerrySftpName *name);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FerrySftpReply, ferry_sftp_reply_free)

G_END_DECLS
