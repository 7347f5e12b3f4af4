"""
A large, believable dataset for measuring scale, written fast with bulk inserts:

    manage.py seed_bench --posts 100000 --comments-per-post 3

Authors, a category tree (top-level categories with children), a pool of tags,
published posts (titles from a word list, Markdown bodies of about 3 KB with
headings and paragraphs, one to two categories and three to five tags each),
threaded approved comments (replies to replies), a few pages, and the search
index, with the fields derived from a body (article HTML, table of contents,
summary, word count) filled as ``save()`` fills them. Every post is
published, at evenly spaced times over the past, newest last.

Rendering and deriving 100,000 bodies one by one would take most of the run
(about 10 ms each), so bodies are assembled from a pool of Markdown blocks
(paragraphs and headings) each rendered through ``markup.render_post`` and
derived (heading ids, words, summary) once: a body's fields are its blocks'
joined as Markdown joins them, the same fields ``Post.save()`` gives that
body (checked on the first post of every batch). Search rows are written in
batches from the same text the index takes from a saved post.

``RARE_POSTS`` posts spread over the whole range (every post of a smaller
set) have the word ``RARE_WORD`` in their body, for measuring a search that
finds the same few posts at any size. Rows are added, not replaced: run it on
an empty database.
"""

import copy
import datetime
import random
import time
from typing import NamedTuple

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.text import slugify
from taggit.models import Tag

from blog import markup
from blog.categories.models import Category
from blog.comments.models import Comment
from blog.posts import counts, derived
from blog.posts.models import Post, TaggedPost
from blog.search import backends as search

RARE_WORD = "quokka"
RARE_POSTS = 20

_WORD_TEXT = """
able about account across action advice after again against agency almost already
always amount analysis answer anyone appear apply approach area argue around arrive
article artist attack attention audience author available avoid away baby balance
base beautiful become before begin behind believe benefit better between beyond
billion board body book bring budget build building business camera campaign cancer
capital career carry case catch cause center central century certain chance change
charge check choice choose church citizen city claim class clear close coach cold
collection college color common community company compare computer concern condition
conference consider consumer contain continue control cost could country couple course
court cover create crime cultural culture current customer data daughter deal debate
decade decide decision deep defense degree democrat describe design detail determine
develop difference different difficult dinner direction director discover discuss
disease doctor door dream drive during early economic economy edge education effect
effort eight either election else employee energy enjoy enough enter entire
environment especially establish evening event everybody evidence exactly example
executive exist expect experience expert explain factor family father fear federal
feeling field fight figure final finally financial finish firm focus follow food
foreign forget form forward free friend front full fund future game garden general
generation girl global goal government great green ground group grow growth guess
happen hard head health hear heart heat heavy help history hold home hope hospital
hotel hour house however huge human hundred idea identify image imagine impact
important improve include increase indicate industry information inside instead
institution interest interview investment issue item itself join keep kitchen know
knowledge land language large last late later laugh lawyer lead leader learn least
leave legal less letter level light like likely line list listen little local long
look machine magazine main maintain major manage market marriage material matter
maybe measure media medical meeting member memory mention message method middle might
military million mind minute mission model modern moment money month morning most
mother mouth move movie much music myself name nation national natural nature near
nearly necessary need network never news newspaper next nice night none north note
nothing notice number occur offer office officer official often open operation
opportunity option order organization other outside owner page pain painting paper
parent part participant particular partner party pass past patient pattern peace
people perform perhaps period person personal phone physical picture piece place plan
plant play player point police policy political poor popular population position
positive power practice prepare present president pressure pretty prevent price
private probably problem process produce product production professional program
project property protect prove provide public purpose quality question quickly quite
radio range rate rather reach read ready real reality realize reason receive recent
record reduce reflect region relate remain remember report represent require research
resource respond response rest result return reveal rich right rise risk road rock
role room rule safe same save scene school science score season seat second section
security seek sense series serious serve service seven several shake share shoot
short shoulder show side sign similar simple simply since sing single sister site
situation size skill small smile social society soldier somebody someone something
sometimes song soon sort sound source south space speak special specific speech spend
sport spring staff stage stand standard star start state statement station stay step
still stock stop store story strategy street strong structure student study stuff
style subject success suddenly suffer suggest summer support sure surface system table
take talk task teach teacher team technology television tell tend term test thank
theory thing think third thought thousand threat through throughout throw today
together tonight total tough toward town trade traditional training travel treat
treatment tree trial trip trouble true truth try turn type under understand unit until
upon usually value various very victim view violence visit voice vote wait walk wall
want watch water wear weather week weight west western whatever white whole whose
wide wife window wish within without woman wonder word work worker world worry write
writer wrong yard yeah year young yourself
"""
WORDS = _WORD_TEXT.split()

CATEGORY_NAMES = [
    "News",
    "Technology",
    "Science",
    "Travel",
    "Food",
    "Culture",
    "Business",
    "Health",
    "Sport",
    "Opinion",
    "Design",
    "Music",
]

# How many blocks the pools hold, and the shape of a body (about 3 KB).
PARAGRAPH_POOL, HEADING_POOL, COMMENT_POOL = 400, 60, 50
PARAGRAPHS_PER_SECTION, SECTIONS = (2, 3), (3, 3)
BATCH = 1000
BODY_FORMAT = markup.BodyFormat.MARKDOWN


class Block(NamedTuple):
    """A Markdown block (paragraph or heading) with what a post stores of it."""

    markdown: str
    html: str
    # Plain text, as the search index and the word count read it.
    text: str
    words: int
    # The article HTML (heading ids) and the headings, from markup.outline().
    outlined: str
    headings: list
    # The summary of a body whose first paragraph this is.
    summary: str

    @classmethod
    def of(cls, text):
        html = markup.render_post(text)
        outline = markup.outline(html)
        return cls(
            markdown=text,
            html=html,
            text=markup.plain_text(html),
            words=markup.count_words(html),
            outlined=outline.html,
            headings=outline.headings,
            summary=derived.summary(body=text, body_format=BODY_FORMAT, body_html=html),
        )

    @staticmethod
    def join(blocks):
        """
        A post's body fields from its blocks, as save() would store them:
        Markdown and the outline put a line end between blocks, plain text a
        space; the summary comes from the first paragraph.
        """
        first_paragraph = next(block for block in blocks if not block.headings)
        return {
            "body": "\n\n".join(block.markdown for block in blocks) + "\n",
            "body_format": BODY_FORMAT,
            "body_html": "\n".join(block.html for block in blocks),
            "content_html": "\n".join(block.outlined for block in blocks),
            "toc": derived.table_of_contents([h for block in blocks for h in block.headings]),
            "summary": first_paragraph.summary,
            "word_count": sum(block.words for block in blocks),
        }


class Command(BaseCommand):
    help = "Fill the database with N published posts and their comments, fast, for benchmarks."

    def add_arguments(self, parser):
        parser.add_argument("--posts", type=int, default=1000)
        parser.add_argument("--comments-per-post", type=int, default=3)
        parser.add_argument("--authors", type=int, default=10)
        parser.add_argument("--children-per-category", type=int, default=3)
        parser.add_argument("--tags", type=int, default=200)
        parser.add_argument("--pages", type=int, default=6)
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args, **options):
        if options["posts"] < 1 or options["comments_per_post"] < 0:
            raise CommandError("--posts must be at least 1 and --comments-per-post at least 0.")
        if Post.any_kind.filter(slug__startswith="bench-").exists():
            raise CommandError("This database already has seeded posts: use an empty one.")
        # Repeatable benchmark text, not secrets.
        self.random = random.Random(options["seed"])  # noqa: S311
        self.started = time.perf_counter()
        # Bulk inserts send no signals: the lists' stored sizes are worked out at the end.
        with transaction.atomic(), counts.deferred():
            self.authors = self.make_authors(options["authors"])
            self.categories = self.make_categories(options["children_per_category"])
            self.tags = self.make_tags(options["tags"])
            self.pools()
            posts = self.make_posts(options["posts"], options["comments_per_post"])
            self.make_pages(options["pages"])
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        self.say(f"{posts} posts seeded")

    def say(self, message):
        elapsed = time.perf_counter() - self.started
        self.stdout.write(f"[{elapsed:7.1f} s] {message}")

    def words(self, low, high):
        return [self.random.choice(WORDS) for _ in range(self.random.randint(low, high))]

    def sentence(self, low=8, high=16):
        return " ".join(self.words(low, high)).capitalize() + "."

    def make_authors(self, count):
        User = get_user_model()
        users = [
            User(
                username=f"bench-author-{n}",
                email=f"bench-author-{n}@example.com",
                # bulk_create skips save(), which would make the public slug.
                slug=f"bench-writer-{n}",
                display_name=" ".join(w.capitalize() for w in self.words(2, 2)),
            )
            for n in range(count)
        ]
        for user in users:
            user.set_unusable_password()
        User.objects.bulk_create(users)
        self.say(f"{count} authors")
        return list(User.objects.filter(username__startswith="bench-author-"))

    def make_categories(self, children):
        """Top-level categories and ``children`` below each: posts go in the leaves."""
        tops = Category.objects.bulk_create(
            [Category(name=name, slug=f"bench-{slugify(name)}") for name in CATEGORY_NAMES]
        )
        below = Category.objects.bulk_create(
            [
                Category(
                    name=f"{top.name} {n + 1}",
                    slug=f"{top.slug}-{n + 1}",
                    parent=top,
                )
                for top in tops
                for n in range(children)
            ]
        )
        self.say(f"{len(tops) + len(below)} categories")
        return below or tops

    def make_tags(self, count):
        names = sorted({f"{a} {b}" for a, b in zip(WORDS, reversed(WORDS), strict=True)})
        names = [f"bench {n}" for n in range(count)] if count > len(names) else names[:count]
        Tag.objects.bulk_create([Tag(name=name, slug=slugify(name)) for name in names])
        return list(Tag.objects.filter(name__in=names))

    def pools(self):
        """Markdown blocks, each rendered and derived once."""
        self.paragraphs = [
            Block.of(" ".join(self.sentence() for _ in range(self.random.randint(4, 6))))
            for _ in range(PARAGRAPH_POOL)
        ]
        # Distinct heading ids, so a body's headings need no de-duplication.
        headings = {}
        for _ in range(HEADING_POOL):
            block = Block.of("## " + " ".join(self.words(2, 5)).capitalize())
            headings.setdefault(block.headings[0].id, block)
        self.headings = list(headings.values())
        self.rare = Block.of(f"A {RARE_WORD} was seen near the {self.random.choice(WORDS)}.")
        self.comment_bodies = [
            (text, markup.render_comment(text))
            for text in (
                " ".join(self.sentence(5, 12) for _ in range(self.random.randint(1, 3)))
                for _ in range(COMMENT_POOL)
            )
        ]
        self.say("text pools rendered")

    def blocks(self, rare):
        blocks = []
        for heading in self.random.sample(self.headings, self.random.randint(*SECTIONS)):
            blocks.append(heading)
            count = self.random.randint(*PARAGRAPHS_PER_SECTION)
            blocks.extend(self.random.choice(self.paragraphs) for _ in range(count))
        if rare:
            blocks.insert(1, self.rare)
        return blocks

    def make_posts(self, count, comments_per_post):
        now = timezone.now()
        # Evenly spaced over the past, a post every few hours, the newest an hour ago.
        step = datetime.timedelta(hours=3)
        first = now - datetime.timedelta(hours=1) - step * (count - 1)
        rare_every = max(1, count // RARE_POSTS)
        made = 0
        for start in range(0, count, BATCH):
            numbers = range(start, min(count, start + BATCH))
            posts, texts = [], []
            for n in numbers:
                title = " ".join(self.words(4, 8)).capitalize()
                rare = n % rare_every == 0 and n // rare_every < RARE_POSTS
                blocks = self.blocks(rare=rare)
                posts.append(
                    Post(
                        title=title,
                        slug=f"bench-{n}-{slugify(title)}"[:190],
                        author=self.random.choice(self.authors),
                        **Block.join(blocks),
                        status=Post.Status.PUBLISHED,
                        published_at=first + step * n,
                        created_at=first + step * n,
                    )
                )
                texts.append(" ".join(block.text for block in blocks))
            self.check_rendering(posts[0])
            Post.objects.bulk_create(posts, batch_size=BATCH)
            self.file_posts(posts)
            search.index_many(
                (post.pk, post.title, post.excerpt, text)
                for post, text in zip(posts, texts, strict=True)
            )
            self.make_comments(posts, comments_per_post)
            made += len(posts)
            if made % 10_000 == 0 or made == count:
                self.say(f"{made} posts")
        return made

    def check_rendering(self, post):
        """The first post of a batch, rendered and derived as save() would: the same fields."""
        expected = copy.copy(post)
        expected.body_html = markup.render_post(post.body, post.body_format)
        expected.derive()
        for name in ("body_html", *derived.FIELDS):
            if getattr(expected, name) != getattr(post, name):
                raise CommandError(f"A pooled body's {name} differs from what Post.save() gives.")

    def file_posts(self, posts):
        filed = Post.categories.through
        rows, tagged = [], []
        for post in posts:
            for category in self.random.sample(self.categories, self.random.randint(1, 2)):
                rows.append(filed(post_id=post.pk, category_id=category.pk))
            count = min(len(self.tags), self.random.randint(3, 5))
            for tag in self.random.sample(self.tags, count):
                tagged.append(TaggedPost(content_object_id=post.pk, tag_id=tag.pk))
        filed.objects.bulk_create(rows, batch_size=BATCH)
        TaggedPost.objects.bulk_create(tagged, batch_size=BATCH)

    def make_comments(self, posts, per_post):
        """``per_post`` approved comments on each post: about half replies, some to replies."""
        if not per_post:
            return
        levels = [[], [], []]
        for post in posts:
            for n in range(per_post):
                # The first comment starts the thread, then replies and replies to them.
                level = 0 if n == 0 else self.random.choice((0, 1, 1, 2))
                levels[level].append(post)
        # A post's comments come in the order they were written, a few minutes apart.
        parents = {}
        for depth, level_posts in enumerate(levels):
            rows = []
            for post in level_posts:
                parent = None
                if depth:
                    options = parents.get((post.pk, depth - 1)) or parents.get((post.pk, 0))
                    parent = self.random.choice(options)
                body, body_html = self.random.choice(self.comment_bodies)
                name = " ".join(w.capitalize() for w in self.words(2, 2))
                at = post.published_at + datetime.timedelta(minutes=10 * (depth + 1))
                rows.append(
                    Comment(
                        post=post,
                        parent=parent,
                        name=name,
                        email=f"{slugify(name)}@example.com",
                        body=body,
                        body_html=body_html,
                        status=Comment.Status.APPROVED,
                        created_at=at,
                        status_changed_at=at,
                    )
                )
            for comment in Comment.objects.bulk_create(rows, batch_size=BATCH):
                parents.setdefault((comment.post_id, depth), []).append(comment)

    def make_pages(self, count):
        from blog.pages.models import Page

        parent = None
        for n in range(count):
            title = f"Bench page {n + 1}"
            page = Page(
                title=title,
                slug=f"bench-page-{n + 1}",
                author=self.authors[0],
                body=Block.join(self.blocks(rare=False))["body"],
                status=Post.Status.PUBLISHED,
                # Every other page sits under the one before it.
                parent=parent if n % 2 else None,
            )
            page.save()
            parent = page
        self.say(f"{count} pages")
