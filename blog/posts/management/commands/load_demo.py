"""
Fill an empty site with a small, believable blog: three authors, nested
categories, ten published posts from 2014 to 2025, a draft, a scheduled post,
a threaded comment discussion, About (with Our team under it) and Contact
pages, and a "Header" menu that the header shows unless another is chosen.

Safe to run again: every row is found by its natural key (username, slug,
post + name + body, page path, menu name) and only created when missing. Rows that already exist
are left exactly as they are, so edits made in the admin survive a re-run.
"""

from datetime import UTC, datetime, timedelta

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from blog.categories.models import Category
from blog.comments.models import Comment
from blog.pages.models import Menu, MenuItem, Page
from blog.posts.models import Post
from blog.sitesettings.models import SiteSettings

# "admin" is the local superuser and keeps an empty display name, so the meta
# line reads "by admin" as in the seed article. Its password is never set
# here: a separate command owns that, and an existing admin is not touched.
AUTHORS = [
    {
        "username": "admin",
        "email": "admin@example.com",
        "display_name": "",
        "bio": "",
        "is_superuser": True,
    },
    {
        "username": "maria",
        "email": "maria@example.com",
        "display_name": "Maria Keller",
        "bio": "Maria runs social media and newsletters for small brands and writes about what actually moves the numbers. Before that she spent six years in a print newsroom.",
    },
    {
        "username": "daniel",
        "email": "daniel@example.com",
        "display_name": "Daniel Okafor",
        "bio": "Daniel builds mobile apps and the analytics behind them. He is happiest when a dashboard answers a question nobody had thought to ask.",
    },
]

# Parents come before their children so one pass can link them.
CATEGORIES = [
    {
        "slug": "online-marketing-tips",
        "name": "Online Marketing Tips",
        "description": "Practical advice for getting a small business noticed online, from the first website to the monthly report.",
    },
    {
        "slug": "social-media",
        "name": "Social Media",
        "parent": "online-marketing-tips",
        "description": "Facebook, Instagram and the rest: what to post, when, and how to tell whether it worked.",
    },
    {
        "slug": "email-marketing",
        "name": "Email Marketing",
        "parent": "online-marketing-tips",
        "description": "Newsletters, lists and the inbox, the one channel you own outright.",
    },
    {
        "slug": "mobile-apps",
        "name": "Mobile Apps",
        "description": "Building, launching and marketing apps for phones, and the habits of the people who use them.",
    },
    {
        "slug": "seo",
        "name": "SEO",
        "description": "How search engines find, rank and show your pages, and what changes when they change.",
    },
]

PUBLISHED = Post.Status.PUBLISHED
DRAFT = Post.Status.DRAFT

# Fixed publication times keep the permalinks stable across runs and
# machines; midday-ish UTC keeps the date the same in most time zones. The
# WhatsApp post is the exception: it was written the evening the service
# went down, after the 7:30pm CET outage.
POSTS = [
    {
        "slug": "whatsapp-crashes-and-leaves-millions-speechless",
        "title": "WhatsApp crashes and leaves millions speechless",
        "author": "admin",
        "published_at": datetime(2014, 2, 22, 20, 15, tzinfo=UTC),
        "comment_mode": Post.CommentMode.CLOSED,
        "categories": ["online-marketing-tips"],
        "tags": ["whatsapp", "facebook", "mobile", "advertising"],
        "body": """\
## What’s up with WhatsApp?

If your messages have been stuck on a single grey tick this evening, it isn’t your phone. WhatsApp, the mobile messenger half the world seems to live in, went dark at around 7:30pm CET today, and for a few hours millions of people had no way to send so much as a thumbs-up.

![A phone showing a chat whose last messages fade away, beside a crossed-out signal meter](/static/img/demo/whatsapp.jpg)The timing could hardly be stranger. WhatsApp says well over 400 million people use it every month and that it signs up around a million more every day. Only a few days ago Facebook agreed to buy it for $16 billion, with another $3 billion in restricted stock for the founders and staff. That is an eye-watering price, and the clearest sign yet that Mark Zuckerberg meant it when he promised a year focused on mobile. Facebook still hasn’t cracked advertising on small screens, and this deal looks like one piece of a much bigger plan to fix that.

So when a service this size falls over barely three days after changing hands, people start asking questions. Is this the first sign of a rebuild? Are our chats about to be wired into our Facebook profiles? It would be quite a twist if tonight’s silence turned out to be Facebook quietly matching our phone numbers to our accounts across its databases.

That thought will make anyone who cares about privacy wince, but for Facebook it would be worth a fortune. Its ad targeting tool, Custom Audiences, can already match people by email address, phone number, or both, and most of us hand over both whenever we sign up for anything online. Tie hundreds of millions of verified mobile numbers to Facebook profiles and marketers could reach the customers on their own lists with almost no guesswork, which is exactly the mobile ad business Facebook has been promising its investors.

To be clear, this is pure speculation: a theory that came to me while staring at an app that wouldn’t connect. If it turns out to be right, Facebook, I’d appreciate a mention. Until then, carry on; normal service will no doubt resume shortly.
""",
    },
    {
        "slug": "five-things-your-facebook-page-is-doing-wrong",
        "title": "Five things your Facebook page is doing wrong",
        "author": "maria",
        "published_at": datetime(2014, 5, 13, 9, 40, tzinfo=UTC),
        "categories": ["social-media"],
        "tags": ["facebook", "social media", "engagement", "small business"],
        "body": """\
## Your page is not a noticeboard

Most of the small business Facebook pages I look at share the same story. They were set up in an afternoon, given a logo and a post about opening hours, and then left to behave like a noticeboard that nobody is obliged to read. Organic reach has been shrinking all year, and pages that only ever broadcast are the first to vanish from people’s news feeds.

The first mistake is talking only about yourself. Offers and new products have their place, but a feed made entirely of them reads like a flyer pushed through the door. Mix in things your customers actually care about: a useful tip, a photo from behind the counter, a question they can answer in five words.

The second and third mistakes travel together: posting at random times, and never opening Page Insights to see when your fans are online. The numbers are free and sitting right there. A week of posting when your audience is awake will do more than a month of posting whenever you happen to remember.

Fourth, leaving comments unanswered. When someone takes the trouble to ask a question on your page, a reply two days later tells everyone watching that nobody is home. And fifth, buying likes. Thousands of fans in countries you don’t even ship to do nothing except shrink the share of real customers who see your posts.

None of this needs a bigger budget. It needs an hour a week, a simple calendar and the habit of treating the page as a conversation rather than an advert.
""",
    },
    {
        "slug": "mobile-friendly-or-invisible",
        "title": "Mobile-friendly or invisible: Google’s April update",
        "author": "admin",
        "published_at": datetime(2015, 4, 21, 9, 10, tzinfo=UTC),
        "categories": ["seo", "mobile-apps"],
        "tags": ["google", "mobile", "seo", "responsive design"],
        "body": """\
## The day phones became a ranking signal

From today, Google uses mobile-friendliness as a ranking signal in its mobile search results. Some people have taken to calling it “Mobilegeddon”, which is a little dramatic, but the change is real: if your pages are awkward to use on a phone, they can now slide down the results for the people searching on one.

The good news is that Google has told us exactly what it checks. Text should be readable without zooming, links and buttons should be far enough apart for a thumb, content should fit the screen without sideways scrolling, and the page shouldn’t rely on software most phones can’t run, such as Flash. The free Mobile-Friendly Test gives a yes or a no for any address in a few seconds.

It’s worth remembering that the update works page by page rather than site by site, and only affects searches made on mobile devices. Someone at a desktop won’t notice a thing. But for many of the sites we look after, more than half of all visits already come from phones, so “only mobile” means most of the audience.

If your site runs on an older theme, a responsive redesign is the real fix. In the meantime, start with the pages that bring in the most mobile visitors, usually the home page, your most popular posts and your contact page, and fix font sizes and tap targets first. They are cheap changes with a visible payoff.

And if you have been waiting for a reason to convince the boss that the website needs some attention, this is it.
""",
    },
    {
        "slug": "what-app-store-reviews-can-teach-your-marketing-team",
        "title": "What app store reviews can teach your marketing team",
        "author": "maria",
        "published_at": datetime(2015, 11, 3, 10, 0, tzinfo=UTC),
        "categories": ["mobile-apps"],
        "tags": ["app store", "reviews", "customer feedback"],
        "body": """\
## The focus group you already have

Every app in the App Store and on Google Play comes with a free focus group that never stops talking, and most marketing teams never listen to it. Reviews get forwarded to developers as bug reports, skimmed by someone in support and forgotten. That’s a waste, because they are full of the exact words customers use to describe what they want.

Start with the three-star reviews. One-star reviews are usually about a crash, and five-star reviews say “great app!” and little else. The middle is where people explain, often at length, what almost made them love you, and that gap is a marketing brief written by your own users.

Keep a simple spreadsheet of phrases that come up again and again. When twenty people describe the same feature as “the thing that lets me share lists with my partner”, that phrase belongs in your store description, your screenshots and your ads, far more than whatever name the product team gave the feature.

Answer where you can. Google Play lets developers reply to reviews in public (Apple, so far, does not), and a polite, specific reply to an unhappy customer is read by everyone who scrolls past it. It shows that somebody is listening, which is rarer in an app store than it should be.

Finally, watch your rating after every release. A dip the week after an update is an early warning that no analytics dashboard will give you as plainly.
""",
    },
    {
        "slug": "local-search-getting-found-around-the-corner",
        "title": "Local search: getting found by the people around the corner",
        "author": "admin",
        "published_at": datetime(2016, 8, 17, 11, 25, tzinfo=UTC),
        "categories": ["seo"],
        "tags": ["local seo", "google maps", "small business", "reviews"],
        "body": """\
## Near me, right now

Look at the searches people make on their phones and a pattern jumps out: more and more of them end in “near me”, or don’t need to, because the search engine already knows where the person is standing. For a café, a dentist or a bike shop, the small map with three pins at the top of the results has become the most valuable spot on the internet.

![A red map pin standing over a simple street map with a river and a park](/static/img/demo/local-search-pin.jpg)

Getting into that map starts with your Google My Business listing. Claim it, verify it and fill in every field: the right category, opening hours including holidays, photos of the place and a description that sounds as if a person wrote it. An unfinished listing is the most common reason a perfectly good business never shows up.

Next, make sure your name, address and phone number are written the same way everywhere: on your own site, on Facebook, on Yelp and in the directories you long ago forgot you signed up for. Search engines compare them, and a mismatched suite number or an old phone number quietly erodes their confidence in you.

Reviews matter more here than almost anywhere else. Ask happy customers for them, make it easy with a short link on the receipt, and answer every one, the bad ones above all. A calm, helpful reply to a complaint can win over the next reader more surely than ten glowing stars.
""",
    },
    {
        "slug": "instagram-stories-and-the-end-of-the-perfect-feed",
        "title": "Instagram Stories and the end of the perfect feed",
        "author": "maria",
        "published_at": datetime(2017, 3, 9, 8, 50, tzinfo=UTC),
        "categories": ["social-media"],
        "tags": ["instagram", "stories", "content strategy"],
        "body": """\
## Twenty-four hours to be yourself

When Instagram launched Stories last summer, plenty of people called it a straight copy of Snapchat, and they weren’t wrong. Seven months on, though, something more interesting has happened: brands that spent years polishing a grid of flawless photos have found a corner of the app where it’s fine to be a little rough around the edges.

![Three social media post cards with colourful photos, fanned out on a purple-to-pink background](/static/img/demo/social-feed.jpg)

Because a story disappears after a day, nobody expects it to be perfect, and that brings the cost of posting down to almost nothing. A quick clip from the warehouse, a sneak look at next season’s colours, a half-finished sketch on the studio wall: these are things you would never put in the main feed, and they are exactly what makes followers feel they know you.

Stories also sit at the very top of the app, above the feed, where they are seen by people whose feeds stopped showing your posts long ago. For accounts that watched their reach fall when the feed stopped being chronological last year, that alone is reason enough to experiment.

Our advice is to keep the grid for your best work and use stories for everything in between. Post a few every day rather than twenty in one go, talk to the camera now and then, and check which stories people watch to the end. Those numbers will tell you what your audience wants more of.
""",
    },
    {
        "slug": "reading-your-analytics-without-fooling-yourself",
        "title": "Reading your analytics without fooling yourself",
        "author": "daniel",
        "published_at": datetime(2018, 10, 2, 9, 30, tzinfo=UTC),
        "categories": ["online-marketing-tips"],
        "tags": ["analytics", "google analytics", "reporting"],
        "body": """\
## Numbers don’t lie, but they do mislead

Every month somebody sends me a screenshot of a line going up and asks whether it’s good news. Usually the honest answer is “it depends”, because analytics tools are very good at counting things and very bad at telling you what those things mean.

![A bar chart of monthly visits rising to a highlighted orange bar, with a trend line and a magnifying glass](/static/img/demo/analytics-chart.jpg)

### Where the visits came from

Before celebrating how much traffic you had, look at where it came from. A spike from a single forum thread, a bot crawling the site or your own team testing a landing page all look identical on the overview screen. Filter out your office’s IP addresses, then read the referral and campaign reports before you ever look at the total.

### What the averages hide

Be wary of averages, too. Average time on page quietly leaves out every visitor who leaves after one page, because there is no second hit to measure against. A post can appear to hold readers for four minutes when most of them were gone in ten seconds.

## Measures that matter

Finally, choose a handful of measures that connect to money, such as enquiries, sign-ups or sales, and judge everything else by how it moves them. Page views are a fine thing to watch, but they are a means, not an end. If the line goes up and nothing else does, you have still learned something.
""",
    },
    {
        "slug": "email-isnt-dead-a-year-of-newsletters",
        "title": "Email isn’t dead: what a year of newsletters taught us",
        "author": "maria",
        "published_at": datetime(2019, 6, 25, 10, 15, tzinfo=UTC),
        "categories": ["email-marketing"],
        "tags": ["email", "newsletters", "gdpr"],
        "body": """\
## Still the channel you own

Every couple of years someone declares email marketing dead, usually just before launching the platform that is supposed to replace it. A year ago we restarted our own monthly newsletter after a long break, and the results have been a useful reminder of why the inbox keeps outliving its obituaries.

The main reason is ownership. A follower on a social network can be taken from you by the next change to a ranking algorithm; an email address is a direct line that nobody else controls. Our list is a fraction of the size of our social audiences, yet it sends more readers to the blog than all of them put together.

What worked: one clear topic per issue, a subject line that says what’s inside instead of trying to be clever, and plain formatting that looks like a letter rather than a brochure. What didn’t: long round-ups of ten links, which people opened and promptly ignored.

We also learned to respect the unsubscribe button. When GDPR arrived last year we removed everyone who hadn’t opened an email in twelve months. The list got smaller, every number we care about got better and, oddly, we started getting more replies.

If you have let your own list go quiet, start small: one useful email a month, sent on the same day, for six months. Then look at what it has done for you.
""",
    },
    {
        "slug": "push-notifications-people-dont-switch-off",
        "title": "Push notifications people don’t switch off",
        "author": "daniel",
        "published_at": datetime(2021, 9, 14, 12, 5, tzinfo=UTC),
        "categories": ["mobile-apps"],
        "tags": ["push notifications", "mobile", "retention"],
        "body": """\
## Earn the interruption

A push notification is the most personal thing an app can do. It lights up a screen on a bedside table, interrupts a conversation, taps someone on the wrist. Used well, it brings people back; used carelessly, it is the quickest way to get your notifications switched off or your app deleted outright.

The first rule is to ask at the right moment. The phone gives you one real chance at the permission prompt, and an app that asks on first launch, before the person has any idea what they will receive, throws it away. Wait for the moment a notification would obviously help, such as just after someone places an order, and explain in one sentence what you will send.

Second, make every message about the person reading it. “Your order has left the warehouse” is useful. “We miss you! Come and see what’s new” is an advert, and people can tell the difference instantly.

Third, let people choose. A settings screen with separate switches for order updates, replies and offers keeps the useful messages flowing to people who would otherwise turn everything off. Both iOS and Android make it easy to silence an app for good, so you can’t count on anyone putting up with noise.

Measure opt-outs alongside opens. A campaign with a great open rate that costs you five percent of your opted-in users is not a success.
""",
    },
    {
        "slug": "writing-for-search-when-the-answer-comes-first",
        "title": "Writing for search when the answer comes first",
        "author": "admin",
        "published_at": datetime(2025, 3, 18, 10, 45, tzinfo=UTC),
        "categories": ["seo"],
        "tags": ["seo", "ai", "content strategy"],
        "body": """\
## When the results page answers for you

For years the deal between publishers and search engines was simple: you wrote something useful, and the search engine sent people to read it. Now that AI-written summaries appear above the ordinary results for more and more questions, that deal is being renegotiated in real time, and nobody asked the publishers.

Some kinds of content will clearly lose visitors. If a question can be answered in two sentences, like a unit conversion, a definition or a shop’s opening hours, the summary will answer it and the click will never happen. Pages built only to catch those searches were always living on borrowed time.

What summaries can’t do well is stand in for experience. An honest write-up of how you moved a shop to a new platform, mistakes included, holds details no summary can make up. Those are also the pages that people share, link to and come back to.

So our advice has changed less than the headlines suggest. Write for a person who wants to understand something, not for a keyword. Put your name and your reasoning on the page. Keep the site fast and easy to read. And build the channels that don’t depend on a single results page: a newsletter, a community, a reason for people to visit you directly.

Search isn’t going away. But this is a good moment to make sure it isn’t the only road that leads to your door.
""",
    },
    {
        "slug": "notes-for-a-guide-to-short-video-ads",
        "title": "Notes for a guide to short video ads",
        "author": "maria",
        "status": DRAFT,
        "published_at": None,
        "categories": ["social-media"],
        "tags": ["video", "advertising"],
        "body": """\
## Three seconds to earn the next ten

Working notes, not ready yet. The short video formats on every platform reward the same thing: a first moment that makes someone stop scrolling. Most of the ads we tested lost half their viewers before the logo even appeared.

To cover: hooks that don’t feel like ads, subtitles for people watching with the sound off, and why the vertical cut should be planned from the start rather than cropped at the end.

Still need numbers from the spring campaigns before this goes anywhere.
""",
    },
    {
        "slug": "a-checklist-for-a-faster-mobile-site",
        "title": "A checklist for a faster mobile site",
        "author": "admin",
        # Scheduled: a month after the first run, so readers don't see it
        # yet. A re-run keeps the time it was first given.
        "schedule_in": timedelta(days=30),
        "categories": ["mobile-apps", "seo"],
        "tags": ["performance", "mobile", "core web vitals"],
        "body": """\
## Every second is a visitor

A slow page on a phone doesn’t just annoy people; it loses them before they have read a word. The good news is that most of the delay on a typical small business site comes from a short list of causes, and you can check them all in an afternoon.

Start with images. Photos straight from a camera or a stock library are often ten times larger than they need to be. Resize them to the width they are actually shown at, save them in a modern format, and let the browser load the ones further down the page only when the reader gets there.

Then count your scripts. Chat widgets, old tracking tags and three different font services all compete for the same slow connection. Remove anything nobody can explain, and load the rest after the page is readable.

Finally, measure on a real mid-range phone over mobile data, not on the office laptop. The difference is usually humbling, and it is the experience most of your visitors actually have.
""",
    },
]

# Comments are dated relative to their post, so a 2018 discussion doesn't
# carry today's date. Addresses are from the ranges reserved for
# documentation (RFC 5737) and emails use example domains, so nothing here
# points at a real person.
COMMENTS = [
    {
        "key": "anna",
        "post": "mobile-friendly-or-invisible",
        "name": "Anna Schmidt",
        "email": "anna.schmidt@example.org",
        "body": "Ran the Mobile-Friendly Test on our shop this morning and failed on tap targets alone. At least we know where to start.",
        "after": timedelta(hours=4),
        "ip": "192.0.2.14",
    },
    {
        "key": "admin-to-anna",
        "post": "mobile-friendly-or-invisible",
        "reply_to": "anna",
        "user": "admin",
        "name": "admin",
        "email": "admin@example.com",
        "body": "That is the failure we see most often, and luckily one of the easiest to fix. A little padding around your links goes a long way.",
        "after": timedelta(hours=6),
        "ip": "198.51.100.7",
    },
    {
        "key": "sophie",
        "post": "reading-your-analytics-without-fooling-yourself",
        "name": "Sophie Laurent",
        "email": "sophie@example.org",
        "url": "https://sophie.example.org/",
        "body": "Thank you for the part about average time on page. I have been putting that number in client reports for two years and never knew how it was worked out.",
        "after": timedelta(hours=3),
        "ip": "192.0.2.33",
    },
    {
        "key": "daniel-to-sophie",
        "post": "reading-your-analytics-without-fooling-yourself",
        "reply_to": "sophie",
        "user": "daniel",
        "name": "Daniel Okafor",
        "email": "daniel@example.com",
        "body": "You're in good company, Sophie, almost everyone does. If you want a more honest figure, track a scroll-depth event and report how many readers reach the end of the article.",
        "after": timedelta(hours=5),
        "ip": "198.51.100.21",
    },
    {
        "key": "sophie-to-daniel",
        "post": "reading-your-analytics-without-fooling-yourself",
        "reply_to": "daniel-to-sophie",
        "name": "Sophie Laurent",
        "email": "sophie@example.org",
        "url": "https://sophie.example.org/",
        "body": "Scroll depth it is. I'll set it up this week and compare the two numbers side by side.",
        "after": timedelta(hours=8),
        "ip": "192.0.2.33",
    },
    {
        "key": "marco",
        "post": "reading-your-analytics-without-fooling-yourself",
        "name": "Marco Bianchi",
        "email": "marco@example.net",
        "url": "https://www.example.net/",
        "body": "Filtering out our own office turned our 'record month' into a perfectly average month. Painful, but better to know.",
        "after": timedelta(days=1, hours=2),
        "ip": "203.0.113.58",
    },
    {
        "key": "priya-to-marco",
        "post": "reading-your-analytics-without-fooling-yourself",
        "reply_to": "marco",
        "name": "Priya Nair",
        "email": "priya@example.org",
        "body": "Same here. And don't forget the staging site: ours had the live tracking code on it for months.",
        "after": timedelta(days=1, hours=6),
        "ip": "203.0.113.91",
    },
    {
        # Held for moderation, so editors have something in the queue and
        # readers have something they must not see.
        "key": "leo",
        "post": "reading-your-analytics-without-fooling-yourself",
        "status": Comment.Status.PENDING,
        "name": "Leo Hartmann",
        "email": "leo.hartmann@example.com",
        "body": "Is there a good way to filter bots that don't identify themselves? The built-in bot filter misses a lot of ours.",
        "after": timedelta(days=3),
        "ip": "192.0.2.120",
    },
]


# Pages by path; parents come before their children. Published on a fixed
# date, as the posts are, so a re-run finds them unchanged.
PAGES = [
    {
        "path": "about",
        "title": "About",
        "menu_order": 1,
        "body": """\
**Online Marketing Journal** is a small blog about getting noticed online: websites, search, social media, email and the apps people carry in their pockets.

We write for people who run small businesses and the freelancers who help them, so every post tries to answer one practical question:

- what changed, and who it affects;
- what it costs to do something about it;
- how to tell whether it worked.

Questions and corrections are always welcome: see [Contact](/contact/).
""",
    },
    {
        "path": "about/team",
        "title": "Our team",
        "menu_order": 1,
        "body": """\
## Maria Keller

Maria runs social media and newsletters for small brands. Before that she spent six years in a print newsroom, which is why she still reads every post aloud before it goes out.

## Daniel Okafor

Daniel builds mobile apps and the analytics behind them, and writes about what the numbers do and don't say.
""",
    },
    {
        "path": "contact",
        "title": "Contact",
        "menu_order": 2,
        "body": """\
Write to **hello@example.com** with questions, corrections or ideas for a post. We read everything and answer most messages within a week.

Comments are open on most posts, too: that is the quickest way to join a discussion.
""",
    },
]
PAGES_PUBLISHED_AT = datetime(2014, 1, 6, 9, 0, tzinfo=UTC)

# The header menu: (label, what it links to, children). A label of None
# shows the target's own title.
HEADER_MENU = "Header"
HEADER_MENU_ITEMS = [
    ("Home", {"url": "/"}, []),
    (None, {"page": "about"}, [(None, {"page": "about/team"}, [])]),
    (None, {"category": "online-marketing-tips"}, []),
    (None, {"page": "contact"}, []),
]


def load_authors():
    User = get_user_model()
    users, created = {}, 0
    for data in AUTHORS:
        user = User.objects.filter(username=data["username"]).first()
        if user is None:
            superuser = data.get("is_superuser", False)
            user = User(
                username=data["username"],
                email=data["email"],
                display_name=data["display_name"],
                bio=data["bio"],
                is_staff=superuser,
                is_superuser=superuser,
            )
            # Nobody can log in as a demo author until a real password is
            # set on purpose (for admin, by the command that owns that).
            user.set_unusable_password()
            user.save()
            created += 1
        users[user.username] = user
    return users, created


def load_categories():
    categories, created = {}, 0
    for data in CATEGORIES:
        category, was_created = Category.objects.get_or_create(
            slug=data["slug"],
            defaults={
                "name": data["name"],
                "description": data["description"],
                "parent": categories.get(data.get("parent")),
            },
        )
        categories[category.slug] = category
        created += was_created
    return categories, created


def load_posts(users, categories):
    posts, created = {}, 0
    for data in POSTS:
        published_at = data.get("published_at")
        if "schedule_in" in data:
            published_at = timezone.now() + data["schedule_in"]
        post, was_created = Post.objects.get_or_create(
            slug=data["slug"],
            defaults={
                "title": data["title"],
                "author": users[data["author"]],
                "body": data["body"],
                "status": data.get("status", PUBLISHED),
                "published_at": published_at,
                "comment_mode": data.get("comment_mode", Post.CommentMode.OPEN),
            },
        )
        # Categories and tags only on creation: setting them again would
        # undo an editor's changes to a demo post.
        if was_created:
            post.categories.set([categories[slug] for slug in data["categories"]])
            post.tags.set(data["tags"])
        posts[post.slug] = post
        created += was_created
    return posts, created


def load_comments(posts, users):
    comments, created = {}, 0
    for data in COMMENTS:
        post = posts[data["post"]]
        comment, was_created = Comment.objects.get_or_create(
            post=post,
            name=data["name"],
            body=data["body"],
            defaults={
                "parent": comments.get(data.get("reply_to")),
                "user": users.get(data.get("user")),
                "email": data["email"],
                "url": data.get("url", ""),
                "status": data.get("status", Comment.Status.APPROVED),
                "ip": data["ip"],
                "created_at": post.published_at + data["after"],
            },
        )
        comments[data["key"]] = comment
        created += was_created
    return comments, created


def load_pages(users):
    pages, created = {}, 0
    for data in PAGES:
        parent_path, _, slug = data["path"].rpartition("/")
        page, was_created = Page.objects.get_or_create(
            path=data["path"],
            defaults={
                "slug": slug,
                "parent": pages.get(parent_path),
                "title": data["title"],
                "author": users["admin"],
                "body": data["body"],
                "status": PUBLISHED,
                "published_at": PAGES_PUBLISHED_AT,
                "comment_mode": Post.CommentMode.CLOSED,
                "menu_order": data["menu_order"],
            },
        )
        pages[page.path] = page
        created += was_created
    return pages, created


def load_header_menu(pages, categories):
    """The "Header" menu, made the header menu only when no other is chosen."""
    menu, created = Menu.objects.get_or_create(name=HEADER_MENU)
    if created:
        targets = {"page": pages, "category": categories}

        def add(entries, parent):
            for order, (label, target, children) in enumerate(entries):
                ((kind, key),) = target.items()
                link = {kind: key} if kind == "url" else {kind: targets[kind][key]}
                item = MenuItem(menu=menu, parent=parent, order=order, label=label or "", **link)
                item.full_clean()
                item.save()
                add(children, item)

        add(HEADER_MENU_ITEMS, None)
    site = SiteSettings.objects.get_or_create(pk=1)[0]
    if site.header_menu_id is None and created:
        site.header_menu = menu
        site.save(update_fields=["header_menu"])
    return menu, created


class Command(BaseCommand):
    help = "Load demo authors, categories, posts and comments. Safe to run more than once."

    def handle(self, *args, **options):
        # All or nothing: a half-loaded demo would hide the problem on the
        # next run, since existing rows are skipped.
        with transaction.atomic():
            users, new_users = load_authors()
            categories, new_categories = load_categories()
            posts, new_posts = load_posts(users, categories)
            comments, new_comments = load_comments(posts, users)
            pages, new_pages = load_pages(users)
            _, new_menus = load_header_menu(pages, categories)
        created = new_users + new_categories + new_posts + new_comments + new_pages + new_menus
        self.stdout.write(
            f"Demo content: {len(posts)} posts, {len(pages)} pages, {len(categories)} categories, "
            f"{len(comments)} comments, {len(users)} authors, a header menu "
            f"(created {created} new)."
        )
