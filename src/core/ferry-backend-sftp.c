/* ferry-backend-sftp.c: SFTP over one SSH connection per backend, spoken
 * by Ferry itself (version 3 packets, ferry-sftp-packet.c) on a libssh2
 * channel.
 *
 * libcurl's SFTP asked one thing at a time: a stat, the open, another stat,
 * the reads and the close of a 4 KiB file were five or six round trips.
 * Here requests go out together and their answers are matched by id: a
 * download sends STAT and OPEN together, then every READ the file needs
 * and its CLOSE together, two round trips in all; and when the worker
 * announces its next file (hint_read()), that file's STAT and OPEN travel
 * with this one's reads, so a small file costs one round trip. Listings
 * keep two READDIR in flight; an upload's writes and close go out
 * together, and so do its time and rename.
 *
 * The session lives as long as the backend. A broken connection (a
 * timeout, a cut, a packet that cannot be read, a Cancel in the middle of
 * a request) is closed, and the next call opens a new one.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <libssh2.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include "ferry-backend-sftp.h"
#include "ferry-curl.h"
#include "ferry-curl-session.h"
#include "ferry-error.h"
#include "ferry-sftp-packet.h"
#include "ferry-tls.h"

/* Each READ and WRITE moves 32 KiB, the size every SFTP server takes. */
#define CHUNK (32 * 1024)
/* Reads in flight: 2 MiB, libssh2's channel window. */
#define MAX_READS 64
/* Writes in flight: 1 MiB. */
#define MAX_WRITES 32
#define CONNECT_TIMEOUT_SECONDS 15
/* Downloads announced ahead (hint_read()) and not yet read. */
#define MAX_AHEAD 4
/* About a million entries of listing text: far more than any real folder. */
#define MAX_LISTING_BYTES (128 * 1024 * 1024)
/* Answers come but not yet taken: a few hundred at most (reads in flight,
 * downloads announced ahead); thousands is a server answering what was
 * never asked. */
#define MAX_WAITING_REPLIES 10000

typedef struct
{
  FerryBackend parent;
  char *password;
  GSocketConnection *connection;
  int fd;
  LIBSSH2_SESSION *ssh;
  LIBSSH2_CHANNEL *channel;
  gboolean ready;
  gboolean posix_rename;
  guint32 next_id;
  GByteArray *in;
  GByteArray *out;
  GHashTable *replies;   /* id → FerrySftpReply* come but not yet taken */
  GHashTable *dropped;   /* ids whose answers nobody waits for */
  GHashTable *orphans;   /* OPEN ids nobody reads: their handles are closed */
  GQueue aheads;         /* Ahead*, oldest first */
  GCancellable *cancellable;
  FerryCancelFd cancel_fd;  /* the run's, kept across calls */
  gboolean debug_log;
} FerrySftpBackend;

/* A download announced by hint_read(): its STAT and OPEN are on their way. */
typedef struct
{
  char *path;
  guint32 stat_id;
  guint32 open_id;
} Ahead;

static void
ahead_free (Ahead *ahead)
{
  g_free (ahead->path);
  g_free (ahead);
}

static void
show (FerrySftpBackend *self,
      const char       *format,
      ...) G_GNUC_PRINTF (2, 3);

static void
show (FerrySftpBackend *self,
      const char       *format,
      ...)
{
  g_autofree char *line = NULL;
  va_list args;

  if (self->parent.trace == NULL && !self->debug_log)
    return;
  va_start (args, format);
  line = g_strdup_vprintf (format, args);
  va_end (args);
  ferry_curl_mask_control_bytes (line);
  if (self->parent.trace != NULL)
    self->parent.trace (line, self->parent.trace_data);
  if (self->debug_log)
    g_debug ("%s", line);
}

static void
disconnect (FerrySftpBackend *self)
{
  if (self->ssh != NULL)
    {
      /* A short, blocking goodbye: the server learns the session ended. */
      libssh2_session_set_blocking (self->ssh, 1);
      libssh2_session_set_timeout (self->ssh, 2000);
      if (self->channel != NULL && self->ready)
        libssh2_channel_close (self->channel);
      if (self->channel != NULL)
        libssh2_channel_free (self->channel);
      if (self->ready)
        libssh2_session_disconnect (self->ssh, "Normal Shutdown");
      libssh2_session_free (self->ssh);
    }
  self->channel = NULL;
  self->ssh = NULL;
  self->ready = FALSE;
  self->fd = -1;
  if (self->connection != NULL)
    g_io_stream_close (G_IO_STREAM (self->connection), NULL, NULL);
  g_clear_object (&self->connection);
  g_byte_array_set_size (self->in, 0);
  g_byte_array_set_size (self->out, 0);
  g_hash_table_remove_all (self->replies);
  g_hash_table_remove_all (self->dropped);
  g_hash_table_remove_all (self->orphans);
  g_queue_clear_full (&self->aheads, (GDestroyNotify) ahead_free);
}

static void
begin_call (FerrySftpBackend *self,
            GCancellable     *cancellable)
{
  self->cancellable = cancellable;
  ferry_cancel_fd_for (&self->cancel_fd, cancellable);
}

static gboolean
check_cancelled (FerrySftpBackend  *self,
                 GError           **error)
{
  if (!g_cancellable_is_cancelled (self->cancellable))
    return TRUE;
  /* Answers to what was sent would come later: the session starts afresh. */
  disconnect (self);
  g_set_error_literal (error, FERRY_ERROR, FERRY_ERROR_CANCELLED, _("Cancelled"));
  return FALSE;
}

/* The connection is unusable after `message`: closed, and the error says so. */
static gboolean
fail_session (FerrySftpBackend  *self,
              GError           **error,
              FerryError         code,
              const char        *message)
{
  disconnect (self);
  g_set_error_literal (error, FERRY_ERROR, code, message);
  return FALSE;
}

static gboolean
fail_ssh (FerrySftpBackend  *self,
          GError           **error,
          const char        *what)
{
  char *detail = NULL;
  g_autofree char *message = NULL;

  if (self->ssh != NULL)
    libssh2_session_last_error (self->ssh, &detail, NULL, 0);
  message = g_strdup_printf ("%s: %s", what, detail != NULL && *detail != '\0' ? detail : _("the connection was lost"));
  ferry_curl_mask_control_bytes (message);
  return fail_session (self, error, FERRY_ERROR_TRANSIENT, message);
}

/* Waits until libssh2 can go on (the way it blocked), Cancel, or the
 * network timeout. */
static gboolean
wait_socket (FerrySftpBackend  *self,
             GError           **error)
{
  int directions = libssh2_session_block_directions (self->ssh);
  struct pollfd fds[2] = { { self->fd, 0, 0 }, { self->cancel_fd.fd, POLLIN, 0 } };
  int timeout_ms = (int) ferry_curl_reply_timeout () * 1000;
  int result;

  if (directions & LIBSSH2_SESSION_BLOCK_INBOUND)
    fds[0].events |= POLLIN;
  if (directions & LIBSSH2_SESSION_BLOCK_OUTBOUND)
    fds[0].events |= POLLOUT;
  if (fds[0].events == 0)
    fds[0].events = POLLIN;
  do
    result = poll (fds, self->cancel_fd.fd >= 0 ? 2 : 1, timeout_ms);
  while (result < 0 && errno == EINTR);
  if (!check_cancelled (self, error))
    return FALSE;
  if (result == 0)
    {
      g_autofree char *message = g_strdup_printf (_("The server did not answer for %d seconds"), timeout_ms / 1000);

      return fail_session (self, error, FERRY_ERROR_TRANSIENT, message);
    }
  return TRUE;
}

static void close_orphan (FerrySftpBackend *self,
                          FerrySftpReply   *reply);

static void
store_reply (FerrySftpBackend *self,
             FerrySftpReply   *reply)
{
  if (g_hash_table_remove (self->orphans, GUINT_TO_POINTER (reply->id)))
    close_orphan (self, reply);
  else if (g_hash_table_remove (self->dropped, GUINT_TO_POINTER (reply->id)))
    ferry_sftp_reply_free (reply);
  else
    g_hash_table_replace (self->replies, GUINT_TO_POINTER (reply->id), reply);
}

static gboolean
too_many_replies (FerrySftpBackend  *self,
                  GError           **error)
{
  if (g_hash_table_size (self->replies) <= MAX_WAITING_REPLIES)
    return FALSE;
  fail_session (self, error, FERRY_ERROR_PROTOCOL, _("The SFTP server sent answers to requests never made"));
  return TRUE;
}

/* Reads what the channel holds into whole packets; with `wait`, waits
 * for at least some bytes first. */
static gboolean
receive (FerrySftpBackend  *self,
         gboolean           wait,
         GError           **error)
{
  guint8 buffer[64 * 1024];

  for (;;)
    {
      ssize_t n = libssh2_channel_read (self->channel, (char *) buffer, sizeof buffer);

      if (n == LIBSSH2_ERROR_EAGAIN)
        {
          if (!wait)
            return TRUE;
          if (!wait_socket (self, error))
            return FALSE;
          continue;
        }
      if (n < 0)
        return fail_ssh (self, error, _("Reading from the SFTP session failed"));
      if (n == 0)
        return fail_session (self, error, FERRY_ERROR_TRANSIENT, _("The server closed the SFTP session"));

      g_byte_array_append (self->in, buffer, n);
      for (;;)
        {
          gssize length;
          FerrySftpReply *reply;

          if (!ferry_sftp_packet_length (self->in->data, self->in->len, &length, error))
            {
              disconnect (self);
              return FALSE;
            }
          if (length < 0 || self->in->len < 4 + (gsize) length)
            break;
          reply = ferry_sftp_reply_parse (self->in->data + 4, length, error);
          if (reply == NULL)
            {
              disconnect (self);
              return FALSE;
            }
          g_byte_array_remove_range (self->in, 0, 4 + length);
          store_reply (self, reply);
          if (too_many_replies (self, error))
            return FALSE;
        }
      wait = FALSE;
    }
}

/* Sends every request queued. While the server's window is full, its
 * answers are read, so neither side waits on the other. */
static gboolean
flush (FerrySftpBackend  *self,
       GError           **error)
{
  while (self->out->len > 0)
    {
      ssize_t n = libssh2_channel_write (self->channel, (const char *) self->out->data, self->out->len);

      if (n == LIBSSH2_ERROR_EAGAIN)
        {
          if (!receive (self, FALSE, error) || !wait_socket (self, error))
            return FALSE;
          continue;
        }
      if (n < 0)
        return fail_ssh (self, error, _("Writing to the SFTP session failed"));
      g_byte_array_remove_range (self->out, 0, n);
    }
  return TRUE;
}

static GByteArray *
request (FerrySftpBackend *self,
         guint8            type,
         guint32          *id)
{
  *id = ++self->next_id;
  if (self->next_id == G_MAXUINT32)
    self->next_id = 0;
  return ferry_sftp_request_begin (type, *id);
}

static void
queue (FerrySftpBackend *self,
       GByteArray       *packet)
{
  ferry_sftp_request_end (packet);
  g_byte_array_append (self->out, packet->data, packet->len);
  g_byte_array_unref (packet);
}

static guint32
queue_path (FerrySftpBackend *self,
            guint8            type,
            const char       *path)
{
  guint32 id;
  GByteArray *packet = request (self, type, &id);

  ferry_sftp_put_str (packet, path);
  queue (self, packet);
  return id;
}

static guint32
queue_handle (FerrySftpBackend *self,
              guint8            type,
              const guint8     *handle,
              gsize             handle_length)
{
  guint32 id;
  GByteArray *packet = request (self, type, &id);

  ferry_sftp_put_string (packet, handle, handle_length);
  queue (self, packet);
  return id;
}

/* The answer to request `id`, sending what is queued first. */
static FerrySftpReply *
take (FerrySftpBackend  *self,
      guint32            id,
      GError           **error)
{
  gpointer reply;

  if (!flush (self, error))
    return NULL;
  while (!g_hash_table_steal_extended (self->replies, GUINT_TO_POINTER (id), NULL, &reply))
    if (!receive (self, TRUE, error))
      return NULL;
  return reply;
}

/* Nobody waits for the answer to `id`: it is thrown away when it comes. */
static void
drop (FerrySftpBackend *self,
      guint32           id)
{
  if (!g_hash_table_remove (self->replies, GUINT_TO_POINTER (id)))
    g_hash_table_add (self->dropped, GUINT_TO_POINTER (id));
}

/* An opened file nobody will read: closed, and the close's answer dropped. */
static void
close_orphan (FerrySftpBackend *self,
              FerrySftpReply   *reply)
{
  if (reply->type == FERRY_SFTP_HANDLE)
    drop (self, queue_handle (self, FERRY_SFTP_CLOSE, reply->handle, reply->handle_length));
  ferry_sftp_reply_free (reply);
}

static void
abandon (FerrySftpBackend *self,
         Ahead            *ahead)
{
  gpointer reply;

  drop (self, ahead->stat_id);
  if (g_hash_table_steal_extended (self->replies, GUINT_TO_POINTER (ahead->open_id), NULL, &reply))
    close_orphan (self, reply);
  else
    g_hash_table_add (self->orphans, GUINT_TO_POINTER (ahead->open_id));
  ahead_free (ahead);
}

static FerryError
status_code (guint32 status)
{
  switch (status)
    {
    case FERRY_SFTP_NO_SUCH_FILE:
      return FERRY_ERROR_NOT_FOUND;
    case FERRY_SFTP_BAD_MESSAGE:
      return FERRY_ERROR_PROTOCOL;
    case FERRY_SFTP_NO_CONNECTION:
    case FERRY_SFTP_CONNECTION_LOST:
      return FERRY_ERROR_TRANSIENT;
    case FERRY_SFTP_PERMISSION_DENIED:
    case FERRY_SFTP_FAILURE:
    case FERRY_SFTP_OP_UNSUPPORTED:
    default:
      return FERRY_ERROR_PERMISSION;
    }
}

static const char *
status_words (guint32 status)
{
  switch (status)
    {
    case FERRY_SFTP_EOF:
      return _("end of file");
    case FERRY_SFTP_NO_SUCH_FILE:
      return _("no such file");
    case FERRY_SFTP_PERMISSION_DENIED:
      return _("permission denied");
    case FERRY_SFTP_OP_UNSUPPORTED:
      return _("not supported");
    default:
      return _("failure");
    }
}

/* A reply that is not the answer `path`'s request needed: a refusal in
 * the server's words, or a protocol error (which closes the session). */
static gboolean
reply_error (FerrySftpBackend  *self,
             FerrySftpReply    *reply,
             const char        *verb,
             const char        *path,
             GError           **error)
{
  if (reply->type == FERRY_SFTP_STATUS)
    {
      const char *words = reply->message != NULL && *reply->message != '\0' ? reply->message
                                                                            : status_words (reply->status);

      /* TRANSLATORS: "OPEN /site/a.html: permission denied (SFTP status 3)" */
      g_set_error (error, FERRY_ERROR, status_code (reply->status), _("%s %s: %s (SFTP status %u)"),
                   verb, path, words, reply->status);
      return FALSE;
    }
  {
    g_autofree char *message = g_strdup_printf (_("The SFTP server answered %s with a packet of type %u"),
                                                verb, reply->type);

    return fail_session (self, error, FERRY_ERROR_PROTOCOL, message);
  }
}

static gboolean
expect_status (FerrySftpBackend  *self,
               guint32            id,
               const char        *verb,
               const char        *path,
               GError           **error)
{
  g_autoptr(FerrySftpReply) reply = take (self, id, error);

  if (reply == NULL)
    return FALSE;
  if (reply->type == FERRY_SFTP_STATUS && reply->status == FERRY_SFTP_OK)
    return TRUE;
  return reply_error (self, reply, verb, path, error);
}

static FerrySftpReply *
expect_type (FerrySftpBackend  *self,
             guint32            id,
             guint8             type,
             const char        *verb,
             const char        *path,
             GError           **error)
{
  g_autoptr(FerrySftpReply) reply = take (self, id, error);

  if (reply == NULL)
    return NULL;
  if (reply->type == type)
    return g_steal_pointer (&reply);
  reply_error (self, reply, verb, path, error);
  return NULL;
}

/* --- the session --------------------------------------------------------- */

static int
ssh_means_too_many (const char *detail)
{
  return detail != NULL &&
         (strstr (detail, "banner") != NULL || strstr (detail, "Channel open failure") != NULL);
}

static void
keyboard_interactive (const char                              *name,
                      int                                      name_length,
                      const char                              *instruction,
                      int                                      instruction_length,
                      int                                      n_prompts,
                      const LIBSSH2_USERAUTH_KBDINT_PROMPT    *prompts,
                      LIBSSH2_USERAUTH_KBDINT_RESPONSE        *responses,
                      void                                   **abstract)
{
  FerrySftpBackend *self = *abstract;

  /* The one thing a password login asks: the password, for each prompt. */
  for (int i = 0; i < n_prompts; i++)
    {
      responses[i].text = strdup (self->password);
      responses[i].length = responses[i].text != NULL ? strlen (self->password) : 0;
    }
}

static gboolean
open_tcp (FerrySftpBackend  *self,
          GError           **error)
{
  FerryConnector *connector = self->parent.connector;
  const char *server = ferry_connector_get_server (connector);
  guint16 port = ferry_connector_get_port (connector);
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnectable) address = NULL;
  g_autoptr(GError) local_error = NULL;
  GSocket *socket;
  int one = 1;

  address = g_network_address_new (server != NULL ? server : "", port);
  g_socket_client_set_timeout (client, CONNECT_TIMEOUT_SECONDS);
  /* Straight to the server, as libcurl's SFTP went: no desktop proxy. */
  g_socket_client_set_enable_proxy (client, FALSE);
  self->connection = g_socket_client_connect (client, address, self->cancellable, &local_error);
  if (self->connection == NULL)
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_set_error_literal (error, FERRY_ERROR, FERRY_ERROR_CANCELLED, _("Cancelled"));
      else if (local_error->domain == G_RESOLVER_ERROR)
        g_set_error (error, FERRY_ERROR, FERRY_ERROR_RESOLVE, _("Could not resolve host: %s"), server);
      else
        g_set_error (error, FERRY_ERROR, FERRY_ERROR_CONNECT, _("Could not connect to %s port %u: %s"),
                     server, port, local_error->message);
      return FALSE;
    }
  socket = g_socket_connection_get_socket (self->connection);
  /* libssh2 reads and writes the descriptor itself, never blocking. */
  g_socket_set_timeout (socket, 0);
  g_socket_set_blocking (socket, FALSE);
  g_socket_set_keepalive (socket, TRUE);
  self->fd = g_socket_get_fd (socket);
  /* Requests sent together leave at once, not after the last one's answer. */
  setsockopt (self->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  return TRUE;
}

static gboolean
check_host_key (FerrySftpBackend  *self,
                GError           **error)
{
  FerryConnector *connector = self->parent.connector;
  const char *pin = ferry_connector_get_pin (connector);
  size_t length = 0;
  int type = 0;
  const char *key = libssh2_session_hostkey (self->ssh, &length, &type);
  g_autofree char *presented = NULL;

  if (key == NULL)
    return fail_ssh (self, error, _("The server showed no host key"));
  presented = ferry_tls_host_key_fingerprint ((const guint8 *) key, length);
  show (self, "* SSH host key %s", presented);
  /* Only the key the user trusted, and nothing before one was trusted:
   * authentication never starts with an unknown server. */
  if (pin != NULL && g_str_equal (pin, presented))
    return TRUE;
  disconnect (self);
  if (pin != NULL)
    g_set_error (error, FERRY_ERROR, FERRY_ERROR_PIN_MISMATCH,
                 _("The server's host key (%s) is not the one trusted for %s"),
                 presented, ferry_connector_get_name (connector));
  else
    g_set_error (error, FERRY_ERROR, FERRY_ERROR_UNTRUSTED,
                 _("The server's host key (%s) has not been trusted yet"), presented);
  return FALSE;
}

static gboolean
authenticate (FerrySftpBackend  *self,
              GError           **error)
{
  const char *user = ferry_connector_get_username (self->parent.connector);
  g_autofree char *methods = NULL;
  char *list;
  int rc = -1;

  if (user == NULL || *user == '\0')
    user = "anonymous";
  while ((list = libssh2_userauth_list (self->ssh, user, strlen (user))) == NULL
         && libssh2_session_last_errno (self->ssh) == LIBSSH2_ERROR_EAGAIN)
    if (!wait_socket (self, error))
      return FALSE;
  if (list == NULL && libssh2_userauth_authenticated (self->ssh))
    return TRUE;
  if (list == NULL)
    return fail_ssh (self, error, _("Logging in failed"));
  methods = g_strdup (list);
  show (self, "* SSH authentication methods: %s", methods);

  if (strstr (methods, "password") != NULL)
    {
      show (self, "> password for %s", user);
      while ((rc = libssh2_userauth_password (self->ssh, user, self->password)) == LIBSSH2_ERROR_EAGAIN)
        if (!wait_socket (self, error))
          return FALSE;
    }
  if (rc != 0 && strstr (methods, "keyboard-interactive") != NULL)
    {
      show (self, "> keyboard-interactive for %s", user);
      while ((rc = libssh2_userauth_keyboard_interactive (self->ssh, user, keyboard_interactive))
             == LIBSSH2_ERROR_EAGAIN)
        if (!wait_socket (self, error))
          return FALSE;
    }
  if (rc == 0)
    {
      show (self, "* Authentication complete");
      return TRUE;
    }
  if (rc != LIBSSH2_ERROR_AUTHENTICATION_FAILED && rc != LIBSSH2_ERROR_PASSWORD_EXPIRED
      && rc != LIBSSH2_ERROR_PUBLICKEY_UNVERIFIED && rc != -1)
    return fail_ssh (self, error, _("Logging in failed"));
  disconnect (self);
  g_set_error (error, FERRY_ERROR, FERRY_ERROR_LOGIN,
               _("Login denied: the server refused the user name or the password (methods: %s)"), methods);
  return FALSE;
}

static gboolean
open_session (FerrySftpBackend  *self,
              GError           **error)
{
  g_autoptr(FerrySftpReply) version = NULL;
  GByteArray *init;
  int rc;

  if (!open_tcp (self, error))
    return FALSE;
  self->ssh = libssh2_session_init_ex (NULL, NULL, NULL, self);
  if (self->ssh == NULL)
    return fail_session (self, error, FERRY_ERROR_FAILED, "libssh2_session_init failed");
  libssh2_session_set_blocking (self->ssh, 0);
  while ((rc = libssh2_session_handshake (self->ssh, self->fd)) == LIBSSH2_ERROR_EAGAIN)
    if (!wait_socket (self, error))
      return FALSE;
  if (rc != 0)
    {
      char *detail = NULL;
      g_autofree char *message = NULL;

      libssh2_session_last_error (self->ssh, &detail, NULL, 0);
      message = g_strdup_printf (_("Failure establishing the SSH session: %d, %s"), rc,
                                 detail != NULL ? detail : "");
      ferry_curl_mask_control_bytes (message);
      /* sshd beyond MaxStartups closes the connection during the banner
       * exchange: one connection too many, as FTP's 421 is (issue 25). */
      return fail_session (self, error, ssh_means_too_many (detail) ? FERRY_ERROR_TOO_MANY : FERRY_ERROR_TRANSIENT,
                           message);
    }
  if (!check_host_key (self, error) || !authenticate (self, error))
    return FALSE;

  while ((self->channel = libssh2_channel_open_session (self->ssh)) == NULL
         && libssh2_session_last_errno (self->ssh) == LIBSSH2_ERROR_EAGAIN)
    if (!wait_socket (self, error))
      return FALSE;
  if (self->channel == NULL)
    {
      char *detail = NULL;
      g_autofree char *message = NULL;

      libssh2_session_last_error (self->ssh, &detail, NULL, 0);
      /* ProFTPD's MaxClientsPerHost lets the connection in and refuses its
       * channel, OpenSSH refuses one beyond MaxSessions: too many. */
      message = g_strdup_printf (_("Unable to startup channel: the server refused one more session (%s)"),
                                 detail != NULL ? detail : "");
      ferry_curl_mask_control_bytes (message);
      return fail_session (self, error, FERRY_ERROR_TOO_MANY, message);
    }
  while ((rc = libssh2_channel_subsystem (self->channel, "sftp")) == LIBSSH2_ERROR_EAGAIN)
    if (!wait_socket (self, error))
      return FALSE;
  if (rc != 0)
    return fail_ssh (self, error, _("The server offers no SFTP"));

  init = ferry_sftp_request_begin (FERRY_SFTP_INIT, 0);
  ferry_sftp_put_u32 (init, 3);
  queue (self, init);
  show (self, "> INIT 3");
  self->ready = TRUE;
  version = take (self, 0, error);
  if (version == NULL)
    return FALSE;
  if (version->type != FERRY_SFTP_VERSION)
    return fail_session (self, error, FERRY_ERROR_PROTOCOL, _("The server did not start SFTP"));
  self->posix_rename = version->posix_rename;
  show (self, "< VERSION %u%s", version->version, self->posix_rename ? " posix-rename@openssh.com" : "");
  return TRUE;
}

/* Every call starts here: the Cancel to watch, a session to speak on. */
static gboolean
ready (FerrySftpBackend  *self,
       const char        *path,
       GCancellable      *cancellable,
       GError           **error)
{
  begin_call (self, cancellable);
  if (path != NULL && !ferry_curl_check_path (path, error))
    return FALSE;
  if (!check_cancelled (self, error))
    return FALSE;
  if (self->ready)
    {
      struct pollfd fds = { self->fd, POLLIN, 0 };

      /* Bytes or a hang-up while idle: a late answer, or a server that
       * closed the session (an idle timeout) and gets a new one now. */
      if (poll (&fds, 1, 0) == 1 && !receive (self, FALSE, NULL))
        show (self, "* The server had closed the session: opening a new one");
      if (self->ready)
        return TRUE;
    }
  disconnect (self);
  return open_session (self, error);
}

/* --- the calls ------------------------------------------------------------ */

static gboolean
sftp_connect (FerryBackend  *backend,
              GCancellable  *cancellable,
              GError       **error)
{
  return ready ((FerrySftpBackend *) backend, NULL, cancellable, error);
}

static gboolean
is_directory (const FerrySftpAttrs *attrs)
{
  return (attrs->flags & FERRY_SFTP_ATTR_PERMISSIONS) != 0 && S_ISDIR (attrs->permissions);
}

/* A listing line for an entry whose server sent no "ls -l" line. */
static char *
synthesize_longname (const FerrySftpName *name)
{
  g_autoptr(GDateTime) when = g_date_time_new_from_unix_utc (name->attrs.mtime);
  g_autofree char *stamp = when != NULL ? g_date_time_format (when, "%b %d %Y") : g_strdup ("Jan 01 1970");
  char type = '-';

  if (is_directory (&name->attrs))
    type = 'd';
  else if ((name->attrs.flags & FERRY_SFTP_ATTR_PERMISSIONS) && S_ISLNK (name->attrs.permissions))
    type = 'l';
  return g_strdup_printf ("%crw-r--r-- 1 owner group %" G_GUINT64_FORMAT " %s %s", type, name->attrs.size,
                          stamp, name->filename);
}

static GPtrArray *
sftp_list (FerryBackend  *backend,
           const char    *dir,
           GCancellable  *cancellable,
           GError       **error)
{
  FerrySftpBackend *self = (FerrySftpBackend *) backend;
  g_autoptr(FerrySftpReply) opened = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func ((GDestroyNotify) ferry_sftp_name_free);
  g_autoptr(GString) body = g_string_new (NULL);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GHashTable) by_name = NULL;
  g_autoptr(GArray) links = g_array_new (FALSE, FALSE, sizeof (guint32));
  guint32 pending[2];
  guint n_pending = 0;
  gsize listed_bytes = 0;
  gboolean ended = FALSE;
  GPtrArray *entries;

  g_clear_pointer (&backend->list_refusals, g_ptr_array_unref);
  if (!ready (self, dir, cancellable, error))
    return NULL;
  show (self, "> OPENDIR %s", dir);
  opened = expect_type (self, queue_path (self, FERRY_SFTP_OPENDIR, dir), FERRY_SFTP_HANDLE, "OPENDIR", dir, error);
  if (opened == NULL)
    return NULL;

  /* Two READDIR in flight: the next batch is on its way while one is read. */
  while (!ended || n_pending > 0)
    {
      g_autoptr(FerrySftpReply) batch = NULL;

      while (!ended && n_pending < 2)
        pending[n_pending++] = queue_handle (self, FERRY_SFTP_READDIR, opened->handle, opened->handle_length);
      batch = take (self, pending[0], error);
      if (batch == NULL)
        return NULL;
      pending[0] = pending[1];
      n_pending--;
      if (ended)
        continue;
      if (batch->type == FERRY_SFTP_STATUS && batch->status == FERRY_SFTP_EOF)
        {
          ended = TRUE;
          continue;
        }
      if (batch->type != FERRY_SFTP_NAME)
        {
          for (guint i = 0; i < n_pending; i++)
            drop (self, pending[i]);
          drop (self, queue_handle (self, FERRY_SFTP_CLOSE, opened->handle, opened->handle_length));
          reply_error (self, batch, "READDIR", dir, error);
          return NULL;
        }
      for (guint i = 0; i < batch->names->len; i++)
        {
          FerrySftpName *name = g_ptr_array_index (batch->names, i);

          listed_bytes += strlen (name->filename) + strlen (name->longname) + sizeof *name;
          g_ptr_array_add (names, g_steal_pointer (&batch->names->pdata[i]));
        }
      g_ptr_array_set_free_func (batch->names, NULL);
      if (listed_bytes > MAX_LISTING_BYTES)
        {
          disconnect (self);
          g_set_error (error, FERRY_ERROR, FERRY_ERROR_PROTOCOL,
                       _("The folder listing passed %d MiB: the server seems to send it without end"),
                       MAX_LISTING_BYTES / (1024 * 1024));
          return NULL;
        }
    }
  /* Nobody waits for the close: its answer is dropped when it comes. */
  drop (self, queue_handle (self, FERRY_SFTP_CLOSE, opened->handle, opened->handle_length));
  show (self, "< %u names", names->len);

  /* Links name their target, as "ls -l" does: the readlinks go together. */
  for (guint i = 0; i < names->len; i++)
    {
      FerrySftpName *name = g_ptr_array_index (names, i);
      guint32 id = 0;

      if ((name->attrs.flags & FERRY_SFTP_ATTR_PERMISSIONS) && S_ISLNK (name->attrs.permissions)
          && strchr (name->filename, '/') == NULL)
        {
          g_autofree char *path = g_build_path ("/", dir, name->filename, NULL);

          id = queue_path (self, FERRY_SFTP_READLINK, path);
        }
      g_array_append_val (links, id);
    }

  by_name = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < names->len; i++)
    {
      FerrySftpName *name = g_ptr_array_index (names, i);
      guint32 id = g_array_index (links, guint32, i);

      g_hash_table_insert (by_name, name->filename, name);
      if (name->longname != NULL && *name->longname != '\0')
        g_string_append (body, name->longname);
      else
        {
          g_autofree char *line = synthesize_longname (name);

          g_string_append (body, line);
        }
      if (id != 0)
        {
          g_autoptr(FerrySftpReply) target = take (self, id, error);

          if (target == NULL)
            return NULL;
          if (target->type == FERRY_SFTP_NAME && target->names->len > 0)
            {
              FerrySftpName *first = g_ptr_array_index (target->names, 0);

              g_string_append_printf (body, " -> %s", first->filename);
            }
        }
      g_string_append_c (body, '\n');
      if (body->len > MAX_LISTING_BYTES)
        {
          g_set_error (error, FERRY_ERROR, FERRY_ERROR_PROTOCOL,
                       _("The folder listing passed %d MiB: the server seems to send it without end"),
                       MAX_LISTING_BYTES / (1024 * 1024));
          disconnect (self);
          return NULL;
        }
    }

  entries = ferry_curl_parse_listing (body, now, &backend->list_refusals, error);
  /* The listing's times are to the minute at best; the attributes that
   * came with each name have the second. */
  for (guint i = 0; entries != NULL && i < entries->len; i++)
    {
      FerryEntry *entry = g_ptr_array_index (entries, i);
      FerrySftpName *name = g_hash_table_lookup (by_name, entry->name);

      if (name == NULL || (entry->type != FERRY_ENTRY_FILE && entry->type != FERRY_ENTRY_DIRECTORY))
        continue;
      if (name->attrs.flags & FERRY_SFTP_ATTR_ACMODTIME)
        {
          entry->mtime = name->attrs.mtime;
          entry->precision = FERRY_TIME_SECONDS;
        }
      if (name->attrs.flags & FERRY_SFTP_ATTR_SIZE)
        {
          entry->size = name->attrs.size;
          entry->size_known = TRUE;
        }
    }
  return entries;
}

static FerryEntry *
entry_from_attrs (const char           *path,
                  const FerrySftpAttrs *attrs)
{
  g_autofree char *name = g_path_get_basename (path);
  FerryEntry *entry = ferry_entry_new (name, is_directory (attrs) ? FERRY_ENTRY_DIRECTORY : FERRY_ENTRY_FILE);

  if (attrs->flags & FERRY_SFTP_ATTR_SIZE)
    {
      entry->size = attrs->size;
      entry->size_known = TRUE;
    }
  if (attrs->flags & FERRY_SFTP_ATTR_ACMODTIME)
    {
      entry->mtime = attrs->mtime;
      entry->precision = FERRY_TIME_SECONDS;
    }
  return entry;
}

static FerryEntry *
sftp_stat (FerryBackend  *backend,
           const char    *path,
           GCancellable  *cancellable,
           GError       **error)
{
  FerrySftpBackend *self = (FerrySftpBackend *) backend;
  g_autoptr(FerrySftpReply) reply = NULL;

  if (!ready (self, path, cancellable, error))
    return NULL;
  show (self, "> STAT %s", path);
  reply = expect_type (self, queue_path (self, FERRY_SFTP_STAT, path), FERRY_SFTP_ATTRS, "STAT", path, error);
  if (reply == NULL)
    return NULL;
  return entry_from_attrs (path, &reply->attrs);
}

static gboolean
sftp_get_mtime (FerryBackend  *backend,
                const char    *path,
                gint64        *mtime,
                GCancellable  *cancellable,
                GError       **error)
{
  g_autoptr(FerryEntry) entry = sftp_stat (backend, path, cancellable, error);

  if (entry == NULL)
    return FALSE;
  if (entry->precision == FERRY_TIME_UNKNOWN)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, "no time in the attributes");
      return FALSE;
    }
  *mtime = entry->mtime;
  return TRUE;
}

typedef struct
{
  guint32 id;
  guint64 offset;
  guint32 length;
} ReadRequest;

static void
queue_stat_open (FerrySftpBackend *self,
                 const char       *path,
                 guint32          *stat_id,
                 guint32          *open_id)
{
  GByteArray *packet;
  FerrySftpAttrs none = { 0 };

  show (self, "> STAT %s", path);
  *stat_id = queue_path (self, FERRY_SFTP_STAT, path);
  packet = request (self, FERRY_SFTP_OPEN, open_id);
  ferry_sftp_put_str (packet, path);
  ferry_sftp_put_u32 (packet, FERRY_SFTP_OPEN_READ);
  ferry_sftp_put_attrs (packet, &none);
  queue (self, packet);
  show (self, "> OPEN %s", path);
}

/* The next download's STAT and OPEN go out with this one's requests: by
 * the time it is read, its handle is here (one round trip a file, not two). */
static void
sftp_hint_read (FerryBackend *backend,
                 const char   *path)
{
  FerrySftpBackend *self = (FerrySftpBackend *) backend;
  Ahead *ahead;

  if (path == NULL || !self->ready || ferry_curl_has_control_chars (path))
    return;
  for (GList *l = self->aheads.head; l != NULL; l = l->next)
    if (g_str_equal (((Ahead *) l->data)->path, path))
      return;
  if (g_queue_get_length (&self->aheads) >= MAX_AHEAD)
    abandon (self, g_queue_pop_head (&self->aheads));
  ahead = g_new0 (Ahead, 1);
  ahead->path = g_strdup (path);
  queue_stat_open (self, path, &ahead->stat_id, &ahead->open_id);
  g_queue_push_tail (&self->aheads, ahead);
}

static gboolean
sftp_read (FerryBackend   *backend,
           const char     *path,
           guint64         offset,
           FerrySinkFunc   sink,
           gpointer        sink_data,
           GCancellable   *cancellable,
           GError        **error)
{
  FerrySftpBackend *self = (FerrySftpBackend *) backend;
  g_autoptr(FerrySftpReply) attrs = NULL;
  g_autoptr(FerrySftpReply) opened = NULL;
  g_autoptr(GError) stat_error = NULL;
  GQueue requests = G_QUEUE_INIT;
  guint64 size = G_MAXUINT64;
  guint64 next;
  guint32 stat_id = 0, open_id = 0, close_id = 0;
  gboolean ok = FALSE;
  guint n_reads = 0;

  backend->read_mtime_known = FALSE;
  if (!ready (self, path, cancellable, error))
    return FALSE;

  /* The file's size and time, and its handle, in one round trip; sent
   * already when the read was announced. */
  for (GList *l = self->aheads.head; l != NULL; l = l->next)
    {
      Ahead *ahead = l->data;

      if (g_str_equal (ahead->path, path))
        {
          g_queue_delete_link (&self->aheads, l);
          if (offset == 0)
            {
              stat_id = ahead->stat_id;
              open_id = ahead->open_id;
              ahead_free (ahead);
            }
          else
            abandon (self, ahead);
          break;
        }
    }
  if (open_id == 0)
    queue_stat_open (self, path, &stat_id, &open_id);
  attrs = take (self, stat_id, error);
  if (attrs == NULL)
    return FALSE;
  if (attrs->type == FERRY_SFTP_ATTRS)
    {
      if (attrs->attrs.flags & FERRY_SFTP_ATTR_SIZE)
        size = attrs->attrs.size;
      if (attrs->attrs.flags & FERRY_SFTP_ATTR_ACMODTIME)
        {
          backend->read_mtime_known = TRUE;
          backend->read_mtime = attrs->attrs.mtime;
        }
    }
  else if (!reply_error (self, attrs, "STAT", path, &stat_error) && !self->ready)
    {
      g_propagate_error (error, g_steal_pointer (&stat_error));
      return FALSE;
    }
  opened = expect_type (self, open_id, FERRY_SFTP_HANDLE, "OPEN", path, error);
  if (opened == NULL)
    return FALSE;

  /* Every READ the file needs, by its size, and one at its end that
   * answers "end of file": then the CLOSE right behind them. A short
   * answer asks again for the rest. */
  next = offset;
  for (;;)
    {
      g_autoptr(FerrySftpReply) reply = NULL;
      g_autofree ReadRequest *done = NULL;
      ReadRequest *front;

      while (close_id == 0 && g_queue_get_length (&requests) < MAX_READS)
        {
          ReadRequest *r = g_new0 (ReadRequest, 1);
          GByteArray *packet = request (self, FERRY_SFTP_READ, &r->id);

          r->offset = next;
          r->length = size != G_MAXUINT64 && next < size && size - next < CHUNK ? (guint32) (size - next) : CHUNK;
          ferry_sftp_put_string (packet, opened->handle, opened->handle_length);
          ferry_sftp_put_u64 (packet, r->offset);
          ferry_sftp_put_u32 (packet, r->length);
          queue (self, packet);
          g_queue_push_tail (&requests, r);
          n_reads++;
          /* At or past the end the stat gave: this one finds the end. */
          if (size != G_MAXUINT64 && next >= size)
            {
              close_id = queue_handle (self, FERRY_SFTP_CLOSE, opened->handle, opened->handle_length);
              break;
            }
          next += r->length;
        }

      front = g_queue_peek_head (&requests);
      reply = take (self, front->id, error);
      if (reply == NULL)
        break;
      if (reply->type == FERRY_SFTP_STATUS && reply->status == FERRY_SFTP_EOF)
        {
          ok = TRUE;
          break;
        }
      if (reply->type != FERRY_SFTP_DATA || reply->data_length > front->length || reply->data_length == 0)
        {
          if (reply->type == FERRY_SFTP_DATA)
            fail_session (self, error, FERRY_ERROR_PROTOCOL, _("The SFTP server sent more data than was asked, or none"));
          else
            reply_error (self, reply, "READ", path, error);
          break;
        }
      done = g_queue_pop_head (&requests);
      if (!sink (reply->data, reply->data_length, sink_data, error) || !check_cancelled (self, error))
        break;
      if (reply->data_length < done->length)
        {
          /* Short: the rest of this piece is asked for again, first. */
          ReadRequest *r;
          GByteArray *packet;

          if (close_id != 0)
            {
              /* The file grew after its stat and the handle is closing. */
              g_set_error (error, FERRY_ERROR, FERRY_ERROR_TRANSIENT,
                           _("“%s” changed while it was read"), path);
              break;
            }
          r = g_new0 (ReadRequest, 1);
          packet = request (self, FERRY_SFTP_READ, &r->id);
          r->offset = done->offset + reply->data_length;
          r->length = done->length - (guint32) reply->data_length;
          ferry_sftp_put_string (packet, opened->handle, opened->handle_length);
          ferry_sftp_put_u64 (packet, r->offset);
          ferry_sftp_put_u32 (packet, r->length);
          queue (self, packet);
          g_queue_push_head (&requests, r);
        }
    }
  show (self, "> READ ×%u, CLOSE", n_reads);

  /* What is still in flight is answered later, and thrown away. */
  if (self->ready)
    {
      ReadRequest *r;

      while ((r = g_queue_pop_head (&requests)) != NULL)
        {
          drop (self, r->id);
          g_free (r);
        }
      if (close_id == 0)
        close_id = queue_handle (self, FERRY_SFTP_CLOSE, opened->handle, opened->handle_length);
      drop (self, close_id);
      /* The close goes out now; its answer is read with the next call's. */
      if (ok && !flush (self, error))
        ok = FALSE;
    }
  g_queue_clear_full (&requests, g_free);
  return ok;
}

static gboolean
sftp_write (FerryBackend     *backend,
            const char       *path,
            guint64           offset,
            FerrySourceFunc   source,
            gpointer          source_data,
            GCancellable     *cancellable,
            GError          **error)
{
  FerrySftpBackend *self = (FerrySftpBackend *) backend;
  g_autoptr(FerrySftpReply) opened = NULL;
  g_autofree guint8 *buffer = g_malloc (CHUNK);
  GQueue pending = G_QUEUE_INIT;
  guint64 position = offset;
  gboolean ended = FALSE;
  gboolean ok = FALSE;
  guint32 id, close_id;

  if (!ready (self, path, cancellable, error))
    return FALSE;
  {
    GByteArray *packet = request (self, FERRY_SFTP_OPEN, &id);
    FerrySftpAttrs none = { 0 };

    ferry_sftp_put_str (packet, path);
    /* offset > 0 resumes: the part there stays, the rest follows it. */
    ferry_sftp_put_u32 (packet, FERRY_SFTP_OPEN_WRITE | FERRY_SFTP_OPEN_CREAT | (offset == 0 ? FERRY_SFTP_OPEN_TRUNC : 0));
    ferry_sftp_put_attrs (packet, &none);
    queue (self, packet);
  }
  show (self, "> OPEN %s for writing at %" G_GUINT64_FORMAT, path, offset);
  opened = expect_type (self, id, FERRY_SFTP_HANDLE, "OPEN", path, error);
  if (opened == NULL)
    return FALSE;

  for (;;)
    {
      while (!ended && g_queue_get_length (&pending) < MAX_WRITES)
        {
          gsize filled = 0;
          GByteArray *packet;

          while (filled < CHUNK)
            {
              gssize n = source (buffer + filled, CHUNK - filled, source_data, error);

              if (n < 0)
                goto out;
              if (n == 0)
                {
                  ended = TRUE;
                  break;
                }
              filled += n;
            }
          if (!check_cancelled (self, error))
            goto out;
          if (filled == 0)
            break;
          packet = request (self, FERRY_SFTP_WRITE, &id);
          ferry_sftp_put_string (packet, opened->handle, opened->handle_length);
          ferry_sftp_put_u64 (packet, position);
          ferry_sftp_put_string (packet, buffer, filled);
          queue (self, packet);
          g_queue_push_tail (&pending, GUINT_TO_POINTER (id));
          position += filled;
          /* Big files: out now, not after 1 MiB more is read. */
          if (!flush (self, error))
            goto out;
        }
      if (ended)
        break;
      if (!expect_status (self, GPOINTER_TO_UINT (g_queue_pop_head (&pending)), "WRITE", path, error))
        goto out;
    }
  /* The close follows the last writes at once: a small file's writes and
   * close are one round trip. */
  show (self, "> WRITE %" G_GUINT64_FORMAT " bytes, CLOSE", position - offset);
  close_id = queue_handle (self, FERRY_SFTP_CLOSE, opened->handle, opened->handle_length);
  while (!g_queue_is_empty (&pending))
    if (!expect_status (self, GPOINTER_TO_UINT (g_queue_pop_head (&pending)), "WRITE", path, error))
      {
        if (self->ready)
          {
            while (!g_queue_is_empty (&pending))
              drop (self, GPOINTER_TO_UINT (g_queue_pop_head (&pending)));
            drop (self, close_id);
          }
        return FALSE;
      }
  ok = expect_status (self, close_id, "CLOSE", path, error);
  return ok;

out:
  if (self->ready)
    {
      while (!g_queue_is_empty (&pending))
        drop (self, GPOINTER_TO_UINT (g_queue_pop_head (&pending)));
      drop (self, queue_handle (self, FERRY_SFTP_CLOSE, opened->handle, opened->handle_length));
    }
  g_queue_clear (&pending);
  return FALSE;
}

static gboolean
sftp_mkdir (FerryBackend  *backend,
            const char    *path,
            GCancellable  *cancellable,
            GError       **error)
{
  FerrySftpBackend *self = (FerrySftpBackend *) backend;
  g_autoptr(GError) mkdir_error = NULL;
  g_autoptr(FerrySftpReply) attrs = NULL;
  FerrySftpAttrs none = { 0 };
  GByteArray *packet;
  guint32 id;

  if (!ready (self, path, cancellable, error))
    return FALSE;
  packet = request (self, FERRY_SFTP_MKDIR, &id);
  ferry_sftp_put_str (packet, path);
  ferry_sftp_put_attrs (packet, &none);
  queue (self, packet);
  show (self, "> MKDIR %s", path);
  if (expect_status (self, id, "MKDIR", path, &mkdir_error))
    return TRUE;
  if (!self->ready)
    {
      g_propagate_error (error, g_steal_pointer (&mkdir_error));
      return FALSE;
    }
  /* Refused: fine if the folder is there already. */
  attrs = take (self, queue_path (self, FERRY_SFTP_STAT, path), error);
  if (attrs == NULL)
    return FALSE;
  if (attrs->type == FERRY_SFTP_ATTRS && is_directory (&attrs->attrs))
    return TRUE;
  g_propagate_error (error, g_steal_pointer (&mkdir_error));
  return FALSE;
}

static guint32
queue_set_mtime (FerrySftpBackend *self,
                 const char       *path,
                 gint64            mtime)
{
  FerrySftpAttrs attrs = { FERRY_SFTP_ATTR_ACMODTIME, 0, 0, (guint32) mtime, (guint32) mtime };
  guint32 id;
  GByteArray *packet = request (self, FERRY_SFTP_SETSTAT, &id);

  ferry_sftp_put_str (packet, path);
  ferry_sftp_put_attrs (packet, &attrs);
  queue (self, packet);
  show (self, "> SETSTAT %s mtime %" G_GINT64_FORMAT, path, mtime);
  return id;
}

static gboolean
check_time (gint64   mtime,
            GError **error)
{
  if (mtime < 0 || mtime > G_MAXUINT32)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "time out of range");
      return FALSE;
    }
  return TRUE;
}

static gboolean
sftp_set_mtime (FerryBackend  *backend,
                const char    *path,
                gint64         mtime,
                GCancellable  *cancellable,
                GError       **error)
{
  FerrySftpBackend *self = (FerrySftpBackend *) backend;

  if (!check_time (mtime, error) || !ready (self, path, cancellable, error))
    return FALSE;
  return expect_status (self, queue_set_mtime (self, path, mtime), "SETSTAT", path, error);
}

/* Queues a rename that replaces `to`: OpenSSH's posix-rename where the
 * server has it, else a remove of `to` (whose failure does not matter)
 * and the plain rename, which will not replace a file. */
static guint32
queue_rename (FerrySftpBackend *self,
              const char       *from,
              const char       *to)
{
  GByteArray *packet;
  guint32 id;

  if (self->posix_rename)
    {
      packet = request (self, FERRY_SFTP_EXTENDED, &id);
      ferry_sftp_put_str (packet, "posix-rename@openssh.com");
    }
  else
    {
      drop (self, queue_path (self, FERRY_SFTP_REMOVE, to));
      packet = request (self, FERRY_SFTP_RENAME, &id);
    }
  ferry_sftp_put_str (packet, from);
  ferry_sftp_put_str (packet, to);
  queue (self, packet);
  show (self, "> RENAME %s %s", from, to);
  return id;
}

static gboolean
sftp_rename (FerryBackend  *backend,
             const char    *from,
             const char    *to,
             GCancellable  *cancellable,
             GError       **error)
{
  FerrySftpBackend *self = (FerrySftpBackend *) backend;

  if (!ferry_curl_check_path (from, error) || !ready (self, to, cancellable, error))
    return FALSE;
  return expect_status (self, queue_rename (self, from, to), "RENAME", from, error);
}

/* The time onto `from` and the rename, sent together: one round trip. */
static gboolean
sftp_finish (FerryBackend  *backend,
             const char    *from,
             const char    *to,
             gint64         mtime,
             GError       **time_error,
             GCancellable  *cancellable,
             GError       **error)
{
  FerrySftpBackend *self = (FerrySftpBackend *) backend;
  g_autoptr(GError) local_error = NULL;
  guint32 time_id, rename_id;

  if (!check_time (mtime, error) || !ferry_curl_check_path (from, error) || !ready (self, to, cancellable, error))
    return FALSE;
  time_id = queue_set_mtime (self, from, mtime);
  rename_id = queue_rename (self, from, to);
  if (!expect_status (self, time_id, "SETSTAT", from, &local_error))
    {
      if (!self->ready)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      g_propagate_error (time_error, g_steal_pointer (&local_error));
    }
  return expect_status (self, rename_id, "RENAME", from, error);
}

static gboolean
run_on_path (FerrySftpBackend  *self,
             guint8             type,
             const char        *verb,
             const char        *path,
             GCancellable      *cancellable,
             GError           **error)
{
  if (!ready (self, path, cancellable, error))
    return FALSE;
  show (self, "> %s %s", verb, path);
  return expect_status (self, queue_path (self, type, path), verb, path, error);
}

static gboolean
sftp_remove (FerryBackend  *backend,
             const char    *path,
             GCancellable  *cancellable,
             GError       **error)
{
  return run_on_path ((FerrySftpBackend *) backend, FERRY_SFTP_REMOVE, "REMOVE", path, cancellable, error);
}

static gboolean
sftp_remove_folder (FerryBackend  *backend,
                    const char    *path,
                    GCancellable  *cancellable,
                    GError       **error)
{
  return run_on_path ((FerrySftpBackend *) backend, FERRY_SFTP_RMDIR, "RMDIR", path, cancellable, error);
}

static char *
sftp_login_folder (FerryBackend  *backend,
                   GCancellable  *cancellable,
                   GError       **error)
{
  FerrySftpBackend *self = (FerrySftpBackend *) backend;
  g_autoptr(FerrySftpReply) reply = NULL;
  FerrySftpName *name;

  if (!ready (self, NULL, cancellable, error))
    return NULL;
  show (self, "> REALPATH .");
  reply = expect_type (self, queue_path (self, FERRY_SFTP_REALPATH, "."), FERRY_SFTP_NAME, "REALPATH", ".", error);
  if (reply == NULL)
    return NULL;
  if (reply->names->len == 0)
    return g_strdup ("/");
  name = g_ptr_array_index (reply->names, 0);
  return g_strdup (name->filename[0] == '/' ? name->filename : "/");
}

static void
sftp_free (FerryBackend *backend)
{
  FerrySftpBackend *self = (FerrySftpBackend *) backend;

  disconnect (self);
  ferry_cancel_fd_clear (&self->cancel_fd);
  g_byte_array_unref (self->in);
  g_byte_array_unref (self->out);
  g_hash_table_unref (self->replies);
  g_hash_table_unref (self->dropped);
  g_hash_table_unref (self->orphans);
  if (self->password != NULL)
    explicit_bzero (self->password, strlen (self->password));
  g_free (self->password);
  g_free (self);
}

static const FerryBackendVTable sftp_vtable = {
  .list = sftp_list,
  .stat = sftp_stat,
  .get_mtime = sftp_get_mtime,
  .read = sftp_read,
  .write = sftp_write,
  .mkdir = sftp_mkdir,
  .set_mtime = sftp_set_mtime,
  .finish = sftp_finish,
  .rename = sftp_rename,
  .remove = sftp_remove,
  .login_folder = sftp_login_folder,
  .remove_folder = sftp_remove_folder,
  .connect = sftp_connect,
  .hint_read = sftp_hint_read,
  .free = sftp_free,
};

static gpointer
init_libssh2 (gpointer data)
{
  libssh2_init (0);
  return NULL;
}

FerryBackend *
ferry_backend_sftp_new (FerryConnector  *connector,
                        const char      *password,
                        GError         **error)
{
  static GOnce once = G_ONCE_INIT;
  FerrySftpBackend *self;

  /* libcurl initialises libssh2 too; this is for a process without it. */
  ferry_curl_global_init ();
  g_once (&once, init_libssh2, NULL);

  self = g_new0 (FerrySftpBackend, 1);
  self->parent.vtable = &sftp_vtable;
  self->parent.connector = g_object_ref (connector);
  /* Times come with each download (sftp_read()). */
  self->parent.times_with_read = TRUE;
  self->password = g_strdup (password != NULL ? password : "");
  self->fd = -1;
  self->cancel_fd.fd = -1;
  self->in = g_byte_array_new ();
  self->out = g_byte_array_new ();
  self->replies = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) ferry_sftp_reply_free);
  self->dropped = g_hash_table_new (NULL, NULL);
  self->orphans = g_hash_table_new (NULL, NULL);
  g_queue_init (&self->aheads);
  self->debug_log = !g_log_writer_default_would_drop (G_LOG_LEVEL_DEBUG, G_LOG_DOMAIN);
  return &self->parent;
}
