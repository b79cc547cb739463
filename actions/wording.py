"""Fixed sentences the topic answers start or end with. Plain English, GSM-7, checked by tests.

Facts come from ../shared/seed-facts.md (see each service's source in the directory)."""

MENTAL_HEALTH_INTRO = "For stress, worry or low mood, NHS Talking Therapies can help. Ask your GP."
MENTAL_HEALTH_OUTRO = "If it gets worse, call 111 and choose the mental health option. In danger, call 999."
GP_INTRO = ("You do not need proof of address or ID to join a GP. Book in the NHS App. "
            "Out of hours, call 111. A pharmacist can treat sore throats and earache.")
GP_NEAREST = "Nearest hospital help:"
DENTIST_INTRO = ("Bad tooth pain or swelling and no dentist? Call 111. "
                 "Free care if you are under 18, pregnant or on some benefits.")
SCREENING_ASK = ("Which screening do you mean? Reply BOWEL, BREAST, CERVICAL, AAA, "
                 "HEALTH CHECK, EYE or LUNG.")
COMMUNITY_INTRO = {
    "food": "Help with food:",
    "warmth": "Help to keep warm:",
    "money": "Help with money and debt:",
    "housing": "Help with housing:",
    "carers": "Help for carers:",
    "loneliness": "If you feel lonely:",
    "domestic_abuse": "If you are not safe at home, call 999 in an emergency. Help:",
    "digital": "Help to get online:",
    "youth": "For children and young people:",
    "older_people": "For older people:",
    "volunteering": "To volunteer:",
    "social_prescribing": "Local groups and activities:",
    "community_anchor": "Local community groups:",
    "hospice": "Hospice and end of life care:",
    "community": "Local help:",
}
ANCHOR = "Your local Community Anchor:"
CRISIS_NEAR_YOU = "Open now near you:"
CRISIS_IN_AREA = "Open now in Kirklees and Calderdale:"
MORE_NONE = "That is all I have for that. Text HELP to see the menu."
NOTHING_FOUND = "Sorry, I found nothing for that here. Call 111 for health help, any time."
