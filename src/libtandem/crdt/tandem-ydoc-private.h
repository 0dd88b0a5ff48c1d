/* tandem-ydoc-private.h: internal data structures of the Yjs-compatible CRDT
 *
 * Memory layout (see tandem-ydoc.h for the model):
 *  - every struct (Item or GC) is a 56-byte YItem in a slab of fixed blocks,
 *    referred to by a 32-bit index (0 = none); pointers into the slab are
 *    stable;
 *  - string content lives in one append-only arena (compacted when half of
 *    it is garbage); an Item refers to a byte range of it;
 *  - each client has a chunked array of its structs sorted by clock (the
 *    struct store, binary-searched by clock);
 *  - each sequence (the list of a branch, or one map key of a branch) is a
 *    counted B+-tree whose leaves hold item indices in list order; inner
 *    nodes keep the visible length of each child in UTF-16 units and in
 *    code points, so positions are found in O(log n) and the list order
 *    (left/right neighbours) is the leaf order;
 *  - content that Tandem does not interpret (JSON, binary, embeds, formats,
 *    nested types, Any, subdocuments) is kept as the raw wire bytes.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tandem-ydoc.h"
#include "tandem-ydoc-encoding.h"

G_BEGIN_DECLS

enum
{
  Y_REF_GC = 0,
  Y_REF_DELETED = 1,
  Y_REF_JSON = 2,
  Y_REF_BINARY = 3,
  Y_REF_STRING = 4,
  Y_REF_EMBED = 5,
  Y_REF_FORMAT = 6,
  Y_REF_TYPE = 7,
  Y_REF_ANY = 8,
  Y_REF_DOC = 9,
  Y_REF_SKIP = 10,
};

#define Y_FLAG_DELETED 0x01

#define Y_NO_CLIENT G_MAXUINT32

typedef struct _YLeaf YLeaf;
typedef struct _YInner YInner;

typedef struct
{
  guint32 client;   /* index into doc->clients */
  guint32 clock;
  guint32 len;      /* clock units; UTF-16 units for strings */
  guint32 cp_len;   /* code points (strings), else len */
  guint32 oc, ock;  /* origin: client index (Y_NO_CLIENT = none), clock */
  guint32 rc, rck;  /* right origin */
  guint32 seq;      /* sequence holding the item, 0 = none (GC) */
  guint32 data;     /* string: arena offset; opaque: index in doc->opaque */
  guint32 size;     /* string: byte length */
  guint8  ref;      /* content ref (Y_REF_*) */
  guint8  flags;
  guint16 pad;
  YLeaf  *leaf;
} YItem;

#define Y_LEAF_CAP 32
#define Y_INNER_CAP 32

typedef struct
{
  YInner *parent;
  guint16 n;
  guint8  is_leaf;
} YNode;

struct _YInner
{
  YNode   h;
  guint32 w16[Y_INNER_CAP];
  guint32 wcp[Y_INNER_CAP];
  YNode  *c[Y_INNER_CAP];
};

struct _YLeaf
{
  YNode   h;
  YLeaf  *prev, *next;
  guint32 it[Y_LEAF_CAP];
};

typedef struct
{
  YNode  *root;
  YLeaf  *first, *last;
  guint32 w16, wcp;  /* visible length */
  guint32 branch;
  char   *key;       /* parentSub, NULL for the list */
  gsize   key_len;
} YSeq;

typedef struct
{
  char       *name;       /* root name, NULL for a nested type */
  gsize       name_len;
  guint32     type_item;  /* ContentType item owning a nested type */
  guint32     list;       /* seq index of the list, 0 until needed */
  GHashTable *map;        /* GBytes key -> seq index */
  gboolean    deleted;
} YBranch;

typedef struct
{
  guint8  ref;
  guint32 n;        /* elements (JSON, Any), 1 otherwise */
  guint32 *offs;    /* n + 1 element offsets into data (JSON, Any) */
  guint8 *data;     /* raw wire payload (for JSON/Any without the count) */
  gsize   size;
  guint32 branch;   /* ContentType: the nested branch */
} YOpaque;

#define Y_CHUNK_CAP 128

typedef struct
{
  guint32 n;
  guint32 it[Y_CHUNK_CAP];
} YChunk;

typedef struct
{
  guint64  id;
  guint32  state;
  guint32  n_chunks, cap_chunks;
  YChunk **chunks;
} YClient;

/* A position in a client's struct store */
typedef struct
{
  guint32 ci, pos;
} YPos;

/* A decoded struct, pointing into the update's bytes */
typedef struct
{
  guint64     client;
  guint32     clock, len;
  guint8      info, ref;
  guint8      parent_kind;  /* 0 = from origins, 1 = root name, 2 = parent item */
  guint8      pad;
  guint64     o_client, r_client, p_client;
  guint32     o_clock, r_clock, p_clock;
  guint32     cp_len;
  const char *pname, *key;
  guint32     pname_len, key_len;
  const guint8 *content;   /* ref-dependent payload (see tandem-ydoc-update.c) */
  gsize       content_size;
} YStruct;

#define Y_STRUCT_HAS_ORIGIN(s) (((s)->info & 0x80) != 0)
#define Y_STRUCT_HAS_RORIGIN(s) (((s)->info & 0x40) != 0)

typedef struct
{
  guint64 client;
  guint32 clock, len;
} YIdRange;

typedef struct
{
  guint32 branch;
  guint64 client;
  guint32 clock, len;
  char   *text;     /* the deleted string (UTF-8) */
  gsize   size;
} YDeletedPiece;

struct _TandemYTransaction
{
  int       depth;
  gboolean  local;
  gpointer  origin;
  guint32   n_before;
  guint32  *before;        /* client states when the transaction began */
  GArray   *ds;            /* YIdRange deleted by this transaction */
  GArray   *deleted_log;   /* YDeletedPiece, local transactions when recording */
};
typedef struct _TandemYTransaction YTxn;

struct _TandemYDoc
{
  guint64   client_id;
  guint32   me;            /* client index of client_id */

  YItem   **blocks;
  guint32   n_blocks, cap_blocks, n_items;
  GArray   *free_items;

  guint8   *arena;
  gsize     arena_len, arena_cap, arena_garbage;

  YClient **clients;
  guint32   n_clients, cap_clients;
  GHashTable *client_index; /* &client->id -> index + 1 */

  GPtrArray *branches;     /* YBranch*, [0] unused */
  GHashTable *roots;       /* GBytes name -> branch index */
  GPtrArray *seqs;         /* YSeq*, [0] unused */
  GPtrArray *opaque;       /* YOpaque* */

  GArray    *pending;      /* YStruct waiting for dependencies */
  GPtrArray *pending_bufs; /* GBytes the pending structs point into */
  GHashTable *pending_missing; /* client -> state that lets pending structs move */
  GArray    *pending_ds;   /* YIdRange above the known state */
  GHashTable *pending_ds_missing; /* client -> lowest pending clock + 1 */

  YTxn       tx;
  guint      record_deleted;
  guint      in_callback;  /* observers must not modify the document */

  TandemYDocUpdateFunc update_func;
  gpointer   update_data;
  TandemYDocChangeFunc change_func;
  gpointer   change_data;
  TandemYDocTransactionFunc txn_func;
  gpointer   txn_data;
};

#define Y_SLAB_SHIFT 12
#define Y_SLAB_SIZE (1u << Y_SLAB_SHIFT)

static inline YItem *
y_item (TandemYDoc *doc, guint32 idx)
{
  return &doc->blocks[idx >> Y_SLAB_SHIFT][idx & (Y_SLAB_SIZE - 1)];
}

static inline YSeq *
y_seq (TandemYDoc *doc, guint32 idx)
{
  return g_ptr_array_index (doc->seqs, idx);
}

static inline YBranch *
y_branch (TandemYDoc *doc, guint32 idx)
{
  return g_ptr_array_index (doc->branches, idx);
}

static inline gboolean
y_item_countable (const YItem *it)
{
  return it->ref != Y_REF_GC && it->ref != Y_REF_DELETED && it->ref != Y_REF_FORMAT;
}

static inline gboolean
y_item_visible (const YItem *it)
{
  return !(it->flags & Y_FLAG_DELETED) && y_item_countable (it);
}

static inline guint32
y_item_w16 (const YItem *it)
{
  return y_item_visible (it) ? it->len : 0;
}

static inline guint32
y_item_wcp (const YItem *it)
{
  return y_item_visible (it) ? it->cp_len : 0;
}

static inline const char *
y_item_str (TandemYDoc *doc, const YItem *it)
{
  return (const char *) doc->arena + it->data;
}

/* tandem-ydoc-tree.c */
void     y_tree_insert_after (TandemYDoc *doc, guint32 seq, guint32 after, guint32 item);
void     y_tree_remove       (TandemYDoc *doc, guint32 item);
void     y_tree_add_weight   (TandemYDoc *doc, guint32 item, gint32 d16, gint32 dcp);
guint32  y_tree_next         (TandemYDoc *doc, guint32 item);
guint32  y_tree_prev         (TandemYDoc *doc, guint32 item);
guint32  y_tree_first        (TandemYDoc *doc, guint32 seq);
guint32  y_tree_last         (TandemYDoc *doc, guint32 seq);
guint32  y_tree_find         (TandemYDoc *doc, guint32 seq, guint32 pos, gboolean cp, guint32 *offset);
void     y_tree_index_of     (TandemYDoc *doc, guint32 item, guint32 *i16, guint32 *icp);
void     y_tree_free         (YNode *node);

/* tandem-ydoc-store.c */
guint32  y_item_alloc        (TandemYDoc *doc);
void     y_item_free         (TandemYDoc *doc, guint32 idx);
guint32  y_client_get        (TandemYDoc *doc, guint64 id, gboolean create);
guint32  y_client_state      (TandemYDoc *doc, guint64 id);
gboolean y_client_find       (TandemYDoc *doc, guint32 client, guint32 clock, YPos *pos);
guint32  y_client_at         (TandemYDoc *doc, guint32 client, YPos pos);
gboolean y_client_next_pos   (TandemYDoc *doc, guint32 client, YPos *pos);
gboolean y_client_prev_pos   (TandemYDoc *doc, guint32 client, YPos *pos);
void     y_client_append     (TandemYDoc *doc, guint32 client, guint32 item);
void     y_client_insert_after (TandemYDoc *doc, guint32 client, YPos pos, guint32 item);
void     y_client_remove     (TandemYDoc *doc, guint32 client, YPos pos);
guint32  y_find_item         (TandemYDoc *doc, guint32 client, guint32 clock);
guint32  y_split             (TandemYDoc *doc, guint32 item, guint32 diff, YPos *pos);
guint32  y_clean_start       (TandemYDoc *doc, guint32 client, guint32 clock);
guint32  y_clean_end         (TandemYDoc *doc, guint32 client, guint32 clock);
gboolean y_try_merge_left    (TandemYDoc *doc, guint32 client, YPos pos);
guint32  y_arena_append      (TandemYDoc *doc, const void *data, gsize len);
void     y_arena_maybe_compact (TandemYDoc *doc);
guint32  y_root_branch       (TandemYDoc *doc, const char *name, gsize len);
guint32  y_branch_new        (TandemYDoc *doc, guint32 type_item);
guint32  y_branch_seq        (TandemYDoc *doc, guint32 branch, const char *key, gsize key_len);
guint32  y_opaque_new        (TandemYDoc *doc, guint8 ref, const guint8 *data, gsize size, guint32 n);
YOpaque *y_opaque_get        (TandemYDoc *doc, guint32 idx);
void     y_opaque_drop       (TandemYDoc *doc, guint32 idx);
gsize    y_doc_memory_size   (TandemYDoc *doc);

/* tandem-ydoc-integrate.c */
void     y_txn_begin         (TandemYDoc *doc, gboolean local, gpointer origin);
void     y_txn_end           (TandemYDoc *doc);
void     y_txn_add_delete    (TandemYDoc *doc, guint32 client, guint32 clock, guint32 len);
void     y_item_delete       (TandemYDoc *doc, guint32 item);
void     y_integrate_struct  (TandemYDoc *doc, const YStruct *s, guint32 offset);
guint32  y_local_insert      (TandemYDoc *doc, guint32 seq, guint32 left, guint32 right,
                              const char *text, gsize len);
void     y_emit_insert       (TandemYDoc *doc, guint32 item);
void     y_emit_delete       (TandemYDoc *doc, guint32 item);
void     y_emit_replace_pair (TandemYDoc *doc, guint32 left_item);

/* tandem-ydoc-update.c */
gboolean y_parse_update      (const guint8 *data, gsize len, GArray *structs, GArray *ds,
                              GError **error);
void     y_write_item        (YEnc *enc, TandemYDoc *doc, guint32 item, guint32 offset);
void     y_write_struct      (YEnc *enc, const YStruct *s, guint32 offset);
void     y_write_ds          (YEnc *enc, GArray *ranges);
void     y_sort_merge_ds     (GArray *ranges);
void     y_encode_structs_since (TandemYDoc *doc, YEnc *enc, const guint64 *sv_clients,
                                 const guint32 *sv_clocks, guint n_sv);
void     y_struct_content_slice (const YStruct *s, guint32 offset, const guint8 **data,
                                 gsize *size, gboolean *fffd_prefix);

G_END_DECLS
